import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { thresholdCrossing } from '../../src/rollouts/failureThreshold';
import { failureThresholdSchema } from '../../src/rollouts/failureThresholdSchema';

const stats = (succeededCount: number, failedCount: number) => ({
  deviceCount: 1000,
  succeededCount,
  failedCount,
  runningCount: 0,
  pendingCount: 1000 - succeededCount - failedCount,
});

describe('thresholdCrossing', () => {
  it('stops at a percent of the finished devices, naming the figures', () => {
    assert.equal(thresholdCrossing({ percent: 10 }, stats(91, 9)), undefined);
    assert.equal(
      thresholdCrossing({ percent: 10 }, stats(90, 10)),
      'Failure threshold crossed: 10 of 100 finished devices failed (10.0%), at or over the limit of 10%.',
    );
  });

  it('stops at a count of failed devices, however many finished', () => {
    assert.equal(thresholdCrossing({ count: 5 }, stats(900, 4)), undefined);
    assert.match(thresholdCrossing({ count: 5 }, stats(900, 5)) ?? '', /limit of 5 devices/);
  });

  it('applies only once minFinishedDevices have finished', () => {
    const threshold = { percent: 10, minFinishedDevices: 50 };
    assert.equal(thresholdCrossing(threshold, stats(10, 30)), undefined, '40 finished: too early');
    assert.match(thresholdCrossing(threshold, stats(20, 30)) ?? '', /counted after 50 finished/);
  });

  it('with percent 0 stops at the first failure, and never without one', () => {
    assert.equal(thresholdCrossing({ percent: 0 }, stats(500, 0)), undefined);
    assert.ok(thresholdCrossing({ percent: 0 }, stats(500, 1)));
  });
});

describe('thresholdCrossing over chosen failure classes', () => {
  it('counts only the named classes, from the imported results', () => {
    const threshold = { percent: 10, outcomes: ['timedOut' as const] };
    const hub = stats(45, 55);
    assert.equal(thresholdCrossing(threshold, hub, { offline: 50, timedOut: 5 }), undefined);
    assert.match(
      thresholdCrossing(threshold, hub, { offline: 45, timedOut: 10 }) ?? '',
      /10 of 100 finished devices failed/,
    );
  });

  it('naming every class the hub counts is the default: its live failed count', () => {
    const every = {
      count: 3,
      outcomes: ['failed' as const, 'timedOut' as const, 'offline' as const],
    };
    assert.ok(thresholdCrossing(every, stats(10, 3), {}));
  });
});

describe('failureThresholdSchema', () => {
  it('takes percent or count, with an optional minimum', () => {
    assert.deepEqual(failureThresholdSchema.parse({ percent: 12.5, minFinishedDevices: 20 }), {
      percent: 12.5,
      minFinishedDevices: 20,
    });
    assert.deepEqual(failureThresholdSchema.parse({ count: 3 }), { count: 3 });
    assert.deepEqual(failureThresholdSchema.parse({ count: 3, outcomes: ['offline'] }), {
      count: 3,
      outcomes: ['offline'],
    });
  });

  it('refuses both, neither, out-of-range values and unknown fields', () => {
    for (const bad of [
      { percent: 5, count: 2 },
      {},
      { percent: 101 },
      { percent: -1 },
      { count: 0 },
      { count: 1.5 },
      { count: 2, outcomes: [] },
      { count: 2, outcomes: ['failed', 'failed'] },
      { count: 2, outcomes: ['exploded'] },
      { percent: 5, minFinishedDevices: -1 },
    ]) {
      assert.equal(failureThresholdSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
