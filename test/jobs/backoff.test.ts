import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { submitRetryDelaySeconds } from '../../src/core/backoff';

const options = { baseSeconds: 5, maxSeconds: 300 };

describe('submitRetryDelaySeconds', () => {
  it('doubles from the base with every attempt and stops at the maximum', () => {
    const delays = [0, 1, 2, 3, 6, 7, 50].map((n) => submitRetryDelaySeconds(n, options, () => 0));
    assert.deepEqual(delays, [5, 10, 20, 40, 300, 300, 300]);
  });

  it('adds at most one base of jitter', () => {
    assert.equal(
      submitRetryDelaySeconds(0, options, () => 0.999),
      10,
    );
    assert.equal(
      submitRetryDelaySeconds(10, options, () => 0.5),
      303,
    );
  });

  it('waits at least as long as the hub asked with Retry-After', () => {
    assert.equal(
      submitRetryDelaySeconds(0, options, () => 0, 61_500),
      62,
    );
  });

  it('never answers zero, so a deferred job is never busy-retried', () => {
    assert.equal(
      submitRetryDelaySeconds(0, { baseSeconds: 0, maxSeconds: 0 }, () => 0),
      1,
    );
  });
});
