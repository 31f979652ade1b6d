import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceOperationsPerSecond, hubBudgetLimits } from '../../src/core/hubBudgetLimits';

const s1 = {
  jobsOperationsPerMinute: 100,
  queriesPerMinute: 20,
  hubQuotaShare: 0.8,
  importQueryShare: 0.5,
};

describe('hubBudgetLimits', () => {
  it("gives hubjobs the share of each of the hub's quotas, imports a part of the queries", () => {
    assert.deepEqual(hubBudgetLimits(s1), {
      perMinute: { jobsOperations: 80, queries: 16 },
      importQueriesPerMinute: 8,
    });
    const s3TwoUnits = { ...s1, jobsOperationsPerMinute: 10_000, queriesPerMinute: 2000 };
    assert.deepEqual(hubBudgetLimits(s3TwoUnits).perMinute, {
      jobsOperations: 8000,
      queries: 1600,
    });
  });

  it('rounds down to whole calls, never above the share', () => {
    const limits = hubBudgetLimits({ ...s1, queriesPerMinute: 7, hubQuotaShare: 0.5 });
    assert.equal(limits.perMinute.queries, 3);
    assert.equal(limits.importQueriesPerMinute, 1.5, 'a rate, not rounded');
    assert.equal(hubBudgetLimits({ ...s1, hubQuotaShare: 0.29 }).perMinute.jobsOperations, 29);
  });

  it('leaves at least one call per minute however small the quota', () => {
    const limits = hubBudgetLimits({ ...s1, jobsOperationsPerMinute: 1, queriesPerMinute: 1 });
    assert.deepEqual(limits.perMinute, { jobsOperations: 1, queries: 1 });
  });

  it('spends the whole quota with a share of 1', () => {
    assert.deepEqual(hubBudgetLimits({ ...s1, hubQuotaShare: 1 }).perMinute, {
      jobsOperations: 100,
      queries: 20,
    });
  });
});

describe('deviceOperationsPerSecond', () => {
  it('is 10/s on F1 and S1 whatever the units', () => {
    assert.equal(deviceOperationsPerSecond('F1', 1), 10);
    assert.equal(deviceOperationsPerSecond('S1', 1), 10);
    assert.equal(deviceOperationsPerSecond('S1', 200), 10);
  });

  it('is the higher of 10/s and 1/s a unit on S2', () => {
    assert.equal(deviceOperationsPerSecond('S2', 1), 10);
    assert.equal(deviceOperationsPerSecond('S2', 10), 10);
    assert.equal(deviceOperationsPerSecond('S2', 25), 25);
  });

  it('is 50/s a unit on S3', () => {
    assert.equal(deviceOperationsPerSecond('S3', 1), 50);
    assert.equal(deviceOperationsPerSecond('S3', 4), 200);
  });
});
