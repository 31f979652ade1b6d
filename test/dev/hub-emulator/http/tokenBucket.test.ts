import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../../../dev/hub-emulator/http/tokenBucket';

function manualClock(start = 0) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

describe('TokenBucket', () => {
  it('lets a minute worth of requests through, then asks to retry later', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(3, clock.now);
    assert.deepEqual(
      [bucket.take(), bucket.take(), bucket.take()],
      [undefined, undefined, undefined],
    );
    assert.equal(bucket.take(), 20);
  });

  it('refills continuously at the per-minute rate', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(60, clock.now);
    for (let index = 0; index < 60; index += 1) assert.equal(bucket.take(), undefined);
    assert.equal(bucket.take(), 1);
    clock.time += 1000;
    assert.equal(bucket.take(), undefined);
    assert.equal(bucket.take(), 1);
  });

  it('never grants more than its capacity after a long idle time', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(2, clock.now);
    clock.time += 3_600_000;
    assert.equal(bucket.take(), undefined);
    assert.equal(bucket.take(), undefined);
    assert.notEqual(bucket.take(), undefined);
  });

  it('never throttles at a rate of 0 (limit off)', () => {
    const bucket = new TokenBucket(0, manualClock().now);
    for (let index = 0; index < 1000; index += 1) assert.equal(bucket.take(), undefined);
  });
});
