import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob } from '../../src/jobs/createJob';
import type { DeviceJobStatistics, DeviceResult } from '../../src/jobs/job';
import { finalStatistics } from '../../src/jobs/importDeviceResults';
import { toJobResource } from '../../src/jobs/jobResourceSchema';
import { pollActiveJobs, type PollOptions } from '../../src/jobs/pollActiveJobs';
import { methodJobSpec, useCaseFixture, type UseCaseFixture } from './support/useCaseFixture';

const options: PollOptions = {
  queriesPerMinute: 200,
  importQueryShare: 0.5,
  pollIntervalSeconds: 30,
  stalledAfterSeconds: 600,
};

function results(jobId: string, succeeded: number, cancelled: number): DeviceResult[] {
  return Array.from({ length: succeeded + cancelled }, (_, i) => ({
    jobId,
    deviceId: `dev-${String(i).padStart(5, '0')}`,
    ...(i < succeeded
      ? { status: 'completed', outcome: 'succeeded' as const }
      : { status: 'cancelled', outcome: 'cancelled' as const }),
  }));
}

async function importCancelledJob(
  fixture: UseCaseFixture,
  hubStatistics: Partial<DeviceJobStatistics>,
): Promise<DeviceJobStatistics> {
  const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
  fixture.hub.setResults(job.jobId, results(job.jobId, 34, 966));
  fixture.hub.setStatus(job.jobId, 'cancelled', hubStatistics);
  for (let tick = 0; tick < 5; tick++) await pollActiveJobs(fixture.deps, options);
  const stored = await fixture.jobStore.get(job.jobId);
  assert.equal(stored?.resultsImport?.phase, 'done');
  return toJobResource(stored).statistics;
}

function sum(statistics: DeviceJobStatistics): number {
  const { succeededCount, failedCount, runningCount, pendingCount } = statistics;
  return (
    succeededCount + failedCount + runningCount + pendingCount + (statistics.cancelledCount ?? 0)
  );
}

describe('importDeviceResults: statistics of a cancelled job', () => {
  it('counts the cancelled devices from the results, so the statistics add up to deviceCount', async () => {
    // What the hub reports after a cancel: pending set to 0, the cancelled devices in no count.
    const statistics = await importCancelledJob(useCaseFixture(), {
      deviceCount: 1000,
      succeededCount: 34,
    });
    assert.equal(statistics.cancelledCount, 966);
    assert.equal(statistics.deviceCount, 1000);
    assert.equal(sum(statistics), 1000);
  });

  it('does not count twice cancelled devices the hub still reports as pending', async () => {
    const statistics = await importCancelledJob(useCaseFixture(), {
      deviceCount: 1000,
      succeededCount: 34,
      pendingCount: 966,
    });
    assert.deepEqual(
      { cancelled: statistics.cancelledCount, pending: statistics.pendingCount },
      { cancelled: 966, pending: 0 },
    );
    assert.equal(sum(statistics), 1000);
  });

  it('keeps a completed job’s statistics as the hub reported them', () => {
    const hub = {
      deviceCount: 10,
      succeededCount: 7,
      failedCount: 3,
      runningCount: 0,
      pendingCount: 0,
      cancelledCount: 0,
    };
    assert.deepEqual(finalStatistics(hub, { phase: 'done', imported: 10, cancelled: 0 }), hub);
  });
});

describe('toJobResource: statistics stored before cancelledCount existed', () => {
  it('reads them with cancelledCount 0', async () => {
    const fixture = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    const { cancelledCount: _dropped, ...legacy } = job.statistics;
    const resource = toJobResource({ ...job, statistics: legacy });
    assert.equal(resource.statistics.cancelledCount, 0);
  });
});
