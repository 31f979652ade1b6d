import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/composition';
import { createJob } from '../../src/jobs/createJob';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { parseJobCreateRequest } from '../../src/jobs/schemas';
import { driveUntil, processQueueOnce, startLiveStack, type LiveStack } from './support/liveStack';

const spec = (condition: string) =>
  parseJobCreateRequest({
    type: 'scheduleDeviceMethod',
    queryCondition: condition,
    cloudToDeviceMethod: { methodName: 'reboot' },
    maxExecutionTimeInSeconds: 600,
  });

describe('hub faults (429, 503, slow answers) during create, poll and import', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    stack = await startLiveStack({
      devices: 60,
      tier: 'S3',
      permanentFailureShare: 0.2,
      limits: { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 },
    });
    services = stack.services({ HUB_CALL_TIMEOUT_MS: '400', HUB_RETRY_COUNT: '1' });
  });
  after(() => stack.close());

  const tick = async () => {
    await pollActiveJobs(services.deps, services.pollOptions);
    await processQueueOnce(services, stack.azurite.connectionString);
  };

  it('ends every job in its true state, creates none twice and runs no device twice', async () => {
    // Create: two 503s outlast the gateway's one retry, so the first job is deferred; a slow
    // answer times out after the hub created the job, so the retried create meets 409 and adopts
    // it; a 429 with Retry-After defers another.
    await stack.admin.addFault({ route: 'jobs.create', status: 503, count: 2 });
    const first = await createJob({ spec: spec('*'), mode: 'post' }, services.deps);
    assert.equal(first.job.status, 'accepted', 'deferred, not lost');
    await stack.admin.addFault({ route: 'jobs.create', delayMs: 800, count: 1 });
    const ids = [first.job.jobId];
    for (let i = 0; i < 6; i++) {
      ids.push((await createJob({ spec: spec('*'), mode: 'post' }, services.deps)).job.jobId);
    }
    await stack.admin.addFault({
      route: 'jobs.create',
      status: 429,
      code: 429001,
      retryAfterSeconds: 1,
      count: 2,
    });
    ids.push((await createJob({ spec: spec('*'), mode: 'post' }, services.deps)).job.jobId);
    // Poll and import: throttled job queries, an unavailable read, throttled and slow result pages.
    await stack.admin.addFault({ route: 'jobs.query', status: 429, code: 429001, count: 2 });
    await stack.admin.addFault({ route: 'jobs.get', status: 503, count: 2 });
    await stack.admin.addFault({ route: 'devices.query', status: 429, code: 429001, count: 2 });
    await stack.admin.addFault({ route: 'devices.query', delayMs: 600, count: 1 });

    await driveUntil(
      'every job ends and all results are imported',
      tick,
      async () => (await services.deps.jobStore.listActive()).length === 0,
      90_000,
      200,
    );

    for (const jobId of ids) {
      const job = await services.deps.jobStore.get(jobId);
      const atHub = await services.hub.getJob(jobId);
      assert.equal(job?.status, 'completed');
      assert.deepEqual(job?.statistics, atHub.statistics);
      const stored = await services.deps.deviceResultStore.list(jobId, {}, { pageSize: 1000 });
      assert.equal(stored.items.length, 60);
      const failed = stored.items.filter((r) => r.status === 'failed').length;
      assert.equal(failed, atHub.statistics.failedCount);
      const operations = await stack.admin.listOperations({ jobId });
      assert.equal(operations.length, 60, 'every device ran exactly once');
      assert.equal(new Set(operations.map((o) => o.deviceId)).size, 60);
    }
    assert.deepEqual(await stack.admin.listFaults(), [], 'every injected fault was met');
    const hubJobs = await services.hub.queryJobs({ status: 'completed' }, { pageSize: 100 });
    assert.equal(hubJobs.items.length, ids.length, 'no job created twice');
  });
});
