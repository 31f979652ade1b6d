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

describe('importDeviceResults: queries spent per job', () => {
  const deviceResultQueries = (fixture: UseCaseFixture, jobId: string) =>
    fixture.hub.calls.filter(
      (call) => call.method === 'queryDeviceResults' && call.jobId === jobId,
    );

  async function endedJob(fixture: UseCaseFixture, deviceCount: number, failed: number) {
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    const all = Array.from({ length: deviceCount }, (_, i) => ({
      jobId: job.jobId,
      deviceId: `dev-${String(i).padStart(5, '0')}`,
      ...(i < failed
        ? { status: 'failed', outcome: 'failed' as const }
        : { status: 'completed', outcome: 'succeeded' as const }),
    }));
    fixture.hub.setResults(job.jobId, all);
    fixture.hub.setStatus(job.jobId, 'completed', {
      deviceCount,
      failedCount: failed,
      succeededCount: deviceCount - failed,
    });
    return job.jobId;
  }

  it('spends no query on a job that reached no device', async () => {
    const fixture = useCaseFixture();
    const jobId = await endedJob(fixture, 0, 0);
    const report = await pollActiveJobs(fixture.deps, options);
    assert.equal(report.importQueries, 0);
    assert.equal(deviceResultQueries(fixture, jobId).length, 0);
    const stored = await fixture.jobStore.get(jobId);
    assert.equal(stored?.resultsImport?.phase, 'done');
    assert.equal(stored?.statistics.deviceCount, 0);
    assert.deepEqual(await fixture.jobStore.listActive(), []);
  });

  it('completes a job whose results fit in one page with exactly one query', async () => {
    const fixture = useCaseFixture();
    const jobId = await endedJob(fixture, 3, 1);
    await pollActiveJobs(fixture.deps, options);
    const queries = deviceResultQueries(fixture, jobId);
    assert.equal(queries.length, 1);
    assert.deepEqual(queries[0]?.detail, {});
    assert.equal((await fixture.jobStore.get(jobId))?.resultsImport?.phase, 'done');
    assert.equal(fixture.deviceResultStore.results.size, 3);
  });

  it('reads a big job failures first, each page once', async () => {
    const fixture = useCaseFixture();
    const jobId = await endedJob(fixture, 250, 30);
    for (let tick = 0; tick < 4; tick++) await pollActiveJobs(fixture.deps, options);
    const queries = deviceResultQueries(fixture, jobId);
    assert.deepEqual(
      queries.map((call) => call.detail),
      [
        { failedOnly: true },
        { excludeFailed: true },
        { excludeFailed: true },
        { excludeFailed: true },
      ],
    );
    assert.equal(fixture.deviceResultStore.results.size, 250);
    assert.equal((await fixture.jobStore.get(jobId))?.resultsImport?.phase, 'done');
  });

  it('reads a big job the hub counts no failure in page by page, unfiltered, with no failed-first query', async () => {
    const fixture = useCaseFixture();
    const jobId = await endedJob(fixture, 250, 0);
    for (let tick = 0; tick < 4; tick++) await pollActiveJobs(fixture.deps, options);
    const queries = deviceResultQueries(fixture, jobId);
    assert.deepEqual(
      queries.map((call) => call.detail),
      [{}, {}, {}],
    );
    assert.equal(fixture.deviceResultStore.results.size, 250);
    const done = await fixture.jobStore.get(jobId);
    assert.equal(done?.resultsImport?.phase, 'done');
    assert.equal(done?.resultsImport?.imported, 250);
  });

  it('misses no failure when the hub counted none, though the results hold some', async () => {
    const fixture = useCaseFixture();
    const jobId = await endedJob(fixture, 250, 7);
    fixture.hub.setStatus(jobId, 'completed', { failedCount: 0, succeededCount: 250 });
    for (let tick = 0; tick < 4; tick++) await pollActiveJobs(fixture.deps, options);
    const failed = [...fixture.deviceResultStore.results.values()].filter(
      (result) => result.outcome === 'failed',
    );
    assert.equal(failed.length, 7);
    assert.equal(fixture.deviceResultStore.results.size, 250);
    assert.equal((await fixture.jobStore.get(jobId))?.resultsImport?.failures?.failed, 7);
  });

  it('imports every result of a job with more than its statistics said, failures first', async () => {
    const fixture = useCaseFixture();
    const jobId = await endedJob(fixture, 150, 20);
    fixture.hub.setStatus(jobId, 'completed', { deviceCount: 5 });
    for (let tick = 0; tick < 3; tick++) await pollActiveJobs(fixture.deps, options);
    assert.equal(fixture.deviceResultStore.results.size, 150);
    const done = await fixture.jobStore.get(jobId);
    assert.equal(done?.resultsImport?.phase, 'done');
    assert.equal(done?.resultsImport?.imported, 150);
  });
});
