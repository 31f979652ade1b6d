import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharedProbe } from '../../src/hub/sharedProbe';

function fakeClock(startMs = 0) {
  let nowMs = startMs;
  return { now: () => new Date(nowMs), advance: (ms: number) => (nowMs += ms) };
}

describe('sharedProbe', () => {
  it('reuses an outcome for the reuse period, then probes again', async () => {
    const clock = fakeClock();
    let probes = 0;
    const probe = sharedProbe(() => Promise.resolve(void probes++), 30_000, clock);
    await probe();
    clock.advance(29_999);
    await probe();
    assert.equal(probes, 1);
    clock.advance(1);
    await probe();
    assert.equal(probes, 2);
  });

  it('lets callers that arrive during a probe wait for that probe', async () => {
    let probes = 0;
    let finish: () => void = () => undefined;
    const probe = sharedProbe(
      () => {
        probes++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      0,
      fakeClock(),
    );
    const waiting = [probe(), probe(), probe()];
    finish();
    await Promise.all(waiting);
    assert.equal(probes, 1);
  });

  it('reuses a failure too, so a struggling hub is not probed harder', async () => {
    const clock = fakeClock();
    let probes = 0;
    const probe = sharedProbe(
      () => {
        probes++;
        return Promise.reject(new Error(`down ${probes}`));
      },
      10_000,
      clock,
    );
    await assert.rejects(probe(), /down 1/);
    await assert.rejects(probe(), /down 1/);
    clock.advance(10_000);
    await assert.rejects(probe(), /down 2/);
  });

  it('probes on every call once the last probe settled, with a reuse period of 0', async () => {
    let probes = 0;
    const probe = sharedProbe(() => Promise.resolve(void probes++), 0, fakeClock());
    await probe();
    await probe();
    assert.equal(probes, 2);
  });
});
