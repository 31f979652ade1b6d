import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/composition';
import { createJob } from '../../src/jobs/createJob';
import type { DeviceResult } from '../../src/jobs/job';
import { importQueryBudget, pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { parseJobCreateRequest } from '../../src/jobs/schemas';
import { methodJobSpec } from './support/useCaseFixture';
import { driveUntil, processQueueOnce, startLiveStack, type LiveStack } from './support/liveStack';

async function allResults(services: Services, jobId: string): Promise<DeviceResult[]> {
  const results: DeviceResult[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await services.deps.deviceResultStore.list(
      jobId,
      {},
      { pageSize: 1000, continuationToken },
    );
    results.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return results;
}

describe('pollActiveJobs against Azurite and the hub emulator', () => {
  let stack: LiveStack;

  before(async () => {
    stack = await startLiveStack({
      devices: 250,
      tier: 'S1',
      permanentFailureShare: 0.3,
      limits: { jobsOperationsPerMinute: 0, deviceOperationsPerSecond: 0 },
    });
  });
  after(() => stack.close());

  it('drives a method job and a twin job to completed with the statistics the hub reports', async () => {
    const services = stack.services();
    const method = parseJobCreateRequest({
      type: 'scheduleDeviceMethod',
      deviceIds: ['device-00001', 'device-00002', 'device-00003'],
      cloudToDeviceMethod: { methodName: 'reboot' },
      maxExecutionTimeInSeconds: 600,
    });
    const twin = parseJobCreateRequest({
      type: 'scheduleUpdateTwin',
      queryCondition: "deviceId IN ['device-00004','device-00005']",
      updateTwin: { etag: '*', properties: { desired: { fw: '2.0' } } },
      maxExecutionTimeInSeconds: 600,
    });
    const jobs = [
      (await createJob({ spec: method, mode: 'post' }, services.deps)).job.jobId,
      (await createJob({ spec: twin, mode: 'post' }, services.deps)).job.jobId,
    ];
    await driveUntil(
      'both jobs end and their results are imported',
      async () => {
        await pollActiveJobs(services.deps, services.pollOptions);
        await processQueueOnce(services, stack.azurite.connectionString);
      },
      async () => (await services.deps.jobStore.listActive()).length === 0,
    );
    for (const [jobId, deviceCount] of [
      [jobs[0]!, 3],
      [jobs[1]!, 2],
    ] as const) {
      const job = await services.deps.jobStore.get(jobId);
      const atHub = await services.hub.getJob(jobId);
      assert.equal(job?.status, 'completed');
      assert.deepEqual(job?.statistics, atHub.statistics);
      assert.equal(job?.statistics.deviceCount, deviceCount);
      const results = await allResults(services, jobId);
      assert.equal(results.length, deviceCount);
      assert.equal(
        results.filter((r) => r.status === 'failed').length,
        job?.statistics.failedCount,
      );
    }
  });

  it('imports within the per-tick query budget, failed devices first, with no 429', async () => {
    // floor(20 queries/min × 0.5 × 6 s / 60) = 1 query a tick.
    const services = stack.services({ HUB_QUERIES_PER_MINUTE: '20', POLL_INTERVAL_SECONDS: '6' });
    assert.equal(importQueryBudget(services.pollOptions), 1);
    const spec = parseJobCreateRequest({
      type: 'scheduleDeviceMethod',
      queryCondition: '*',
      cloudToDeviceMethod: { methodName: 'reboot' },
      maxExecutionTimeInSeconds: 600,
    });
    const { job } = await createJob({ spec, mode: 'post' }, services.deps);
    const atHub = await services.hub.getJob(job.jobId).then(async (snapshot) => {
      const deadline = Date.now() + 20_000;
      let current = snapshot;
      while (!['completed', 'failed'].includes(current.status) && Date.now() < deadline) {
        current = await services.hub.getJob(job.jobId);
      }
      return current;
    });
    assert.equal(atHub.status, 'completed');
    await stack.admin.resetRequestCounts();
    const queriesPerTick: number[] = [];
    const failedShareAfterTick: boolean[] = [];
    for (let tick = 0; tick < 10; tick++) {
      const report = await pollActiveJobs(services.deps, services.pollOptions);
      queriesPerTick.push(report.importQueries);
      const stored = await allResults(services, job.jobId);
      failedShareAfterTick.push(stored.every((r) => r.status === 'failed'));
      if ((await services.deps.jobStore.get(job.jobId))?.resultsImport?.phase === 'done') break;
    }
    const counts = await stack.admin.requestCounts();
    const failed = atHub.statistics.failedCount;
    const expectedQueries = Math.ceil(failed / 100) + Math.ceil((250 - failed) / 100);
    assert.ok(queriesPerTick.every((queries) => queries <= 1));
    assert.equal(counts['devices.query'], expectedQueries, 'no page read twice');
    assert.equal(failedShareAfterTick[0], true, 'the first page holds failed devices only');
    const stored = await allResults(services, job.jobId);
    assert.equal(stored.length, 250);
    assert.equal(stored.filter((r) => r.status === 'failed').length, failed);
  });
  it('spends no device query on a job that reached no device, and one on a one-page job', async () => {
    const services = stack.services();
    const create = async (queryCondition: string) =>
      (await createJob({ spec: methodJobSpec({ queryCondition }), mode: 'post' }, services.deps))
        .job.jobId;
    await stack.admin.resetRequestCounts();
    const empty = await create("deviceId = 'no-such-device'");
    const small = await create("deviceId IN ['device-00010','device-00011','device-00012']");
    await driveUntil(
      'both jobs end and their results are imported',
      async () => {
        await pollActiveJobs(services.deps, services.pollOptions);
        await processQueueOnce(services, stack.azurite.connectionString);
      },
      async () => (await services.deps.jobStore.listActive()).length === 0,
    );
    const counts = await stack.admin.requestCounts();
    assert.equal(counts['devices.query'], 1, 'one query in all');
    const emptyJob = await services.deps.jobStore.get(empty);
    assert.equal(emptyJob?.statistics.deviceCount, 0);
    assert.equal(emptyJob?.resultsImport?.phase, 'done');
    assert.equal((await allResults(services, small)).length, 3);
  });
});
