import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceOperationsPerSecond } from '../../src/core/hubBudgetLimits';
import {
  estimateRollout,
  resolveQueryCount,
  rolloutDryRunResponseSchema,
} from '../../src/rollouts/estimateRollout';
import { planRollout, summarizeWaves } from '../../src/rollouts/planRollout';

const waves = [
  { deviceCount: 1000, jobCount: 3 },
  { deviceCount: 400, jobCount: 1 },
];

describe('estimateRollout', () => {
  it('sums devices and jobs and numbers the waves', () => {
    const estimate = estimateRollout({
      waves,
      deviceOperationsPerSecond: 10,
      devicesToResolve: 0,
      queriesPerMinute: 16,
    });
    assert.deepEqual(estimate, {
      deviceCount: 1400,
      jobCount: 4,
      waves: [
        { index: 1, deviceCount: 1000, jobCount: 3 },
        { index: 2, deviceCount: 400, jobCount: 1 },
      ],
      etaSeconds: 140,
    });
    assert.deepEqual(rolloutDryRunResponseSchema.parse(estimate), estimate);
  });

  it('adds the queries that resolving a condition takes, at hubjobs query budget', () => {
    const estimate = estimateRollout({
      waves,
      deviceOperationsPerSecond: 10,
      devicesToResolve: 1400,
      queriesPerMinute: 7,
    });
    assert.equal(resolveQueryCount(1400), 14);
    assert.equal(estimate.etaSeconds, 140 + 120, '14 queries at 7 a minute');
  });

  it('rounds up to whole seconds and follows the tier rate', () => {
    const s3 = deviceOperationsPerSecond('S3', 2);
    const estimate = estimateRollout({
      waves: [{ deviceCount: 1001, jobCount: 1 }],
      deviceOperationsPerSecond: s3,
      devicesToResolve: 0,
      queriesPerMinute: 1600,
    });
    assert.equal(estimate.etaSeconds, 11, '1,001 devices at 100/s');
  });

  it('estimates a plan from its wave summaries', () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `meter-${i}`);
    const planned = summarizeWaves(planRollout({ deviceIds: ids }, { count: 1000 }));
    const estimate = estimateRollout({
      waves: planned.map((wave) => ({
        deviceCount: wave.deviceCount ?? 0,
        jobCount: wave.jobCount,
      })),
      deviceOperationsPerSecond: deviceOperationsPerSecond('S1', 1),
      devicesToResolve: 0,
      queriesPerMinute: 16,
    });
    assert.equal(estimate.deviceCount, 2500);
    assert.equal(
      estimate.jobCount,
      planned.reduce((sum, wave) => sum + wave.jobCount, 0),
    );
    assert.equal(estimate.etaSeconds, 250);
  });
});
