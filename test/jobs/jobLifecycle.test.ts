import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyStatistics, type Job } from '../../src/jobs/job';
import { applyHubSnapshot, reachableHubActiveStatuses } from '../../src/jobs/jobLifecycle';
import type { HubJobSnapshot } from '../../src/jobs/ports';

const now = new Date('2030-01-01T00:00:00Z');
const job: Job = {
  jobId: 'j1',
  spec: { type: 'scheduleDeviceMethod', queryCondition: '*', maxExecutionTimeInSeconds: 60 },
  requestHash: 'h',
  status: 'running',
  statistics: { ...emptyStatistics },
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  submitAttempts: 0,
  cancelRequested: false,
};
const snapshot = (status: HubJobSnapshot['status'], endTime?: string): HubJobSnapshot => ({
  jobId: 'j1',
  type: 'scheduleDeviceMethod',
  status,
  statistics: { ...emptyStatistics, deviceCount: 3, succeededCount: 3 },
  ...(endTime === undefined ? {} : { endTime }),
});

describe('applyHubSnapshot', () => {
  it('never moves a job back to an earlier status', () => {
    assert.equal(applyHubSnapshot(job, snapshot('queued'), now).status, 'running');
  });

  it('never changes a terminal job', () => {
    const ended: Job = { ...job, status: 'cancelled' };
    assert.equal(applyHubSnapshot(ended, snapshot('completed'), now), ended);
  });

  it('records the end and queues the results import when the job ends', () => {
    const next = applyHubSnapshot(job, snapshot('completed', '2030-01-01T00:05:00.1234567'), now);
    assert.equal(next.status, 'completed');
    assert.equal(next.statistics.succeededCount, 3);
    assert.equal(next.endedAt, '2030-01-01T00:05:00.123Z');
    assert.deepEqual(next.resultsImport, { phase: 'failed', imported: 0 });
  });

  it("ignores the hub's far-future end time of a job that has not ended", () => {
    const next = applyHubSnapshot(job, snapshot('failed', '9999-12-31T23:59:59.9999999'), now);
    assert.equal(next.endedAt, now.toISOString());
  });
});

describe('reachableHubActiveStatuses', () => {
  it('lists only the statuses a job can still move to', () => {
    assert.deepEqual(reachableHubActiveStatuses('queued'), ['queued', 'scheduled', 'running']);
    assert.deepEqual(reachableHubActiveStatuses('running'), ['running']);
  });
});
