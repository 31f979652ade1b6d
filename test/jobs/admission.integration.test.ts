import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/composition';
import { HubCallError } from '../../src/core/hubCallError';
import { cancelJob } from '../../src/jobs/cancelJob';
import { createJob } from '../../src/jobs/createJob';
import { newAcceptedJob } from '../../src/jobs/jobLifecycle';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { hashRequest } from '../../src/core/requestHash';
import { methodJobSpec } from './support/useCaseFixture';
import { driveUntil, processQueueOnce, startLiveStack, type LiveStack } from './support/liveStack';

const fourDevices = "deviceId IN ['device-00001','device-00002','device-00003','device-00004']";
const unlimited = { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 };

describe('admission against Azurite and the hub emulator (tier S1: one job slot)', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    stack = await startLiveStack({ devices: 10, tier: 'S1', limits: unlimited });
    services = stack.services();
  });
  after(() => stack.close());

  const tick = async () => {
    await pollActiveJobs(services.deps, services.pollOptions);
    await processQueueOnce(services, stack.azurite.connectionString);
  };
  const status = async (jobId: string) => (await services.deps.jobStore.get(jobId))?.status;

  it('keeps a second job accepted while the slot is taken, and runs it after the first ends', async () => {
    const startTime = new Date(Date.now() + 4000).toISOString();
    const spec = methodJobSpec({ queryCondition: fourDevices, startTime });
    const first = await createJob({ spec, mode: 'post' }, services.deps);
    assert.equal(first.admission, 'submitted');
    const second = await createJob(
      { spec: methodJobSpec({ queryCondition: fourDevices }), mode: 'post' },
      services.deps,
    );
    assert.equal(second.admission, 'deferred');
    assert.equal(second.job.status, 'accepted');

    await driveUntil(
      'both jobs complete',
      tick,
      async () =>
        (await status(first.job.jobId)) === 'completed' &&
        (await status(second.job.jobId)) === 'completed',
    );
    const firstAtHub = await services.hub.getJob(first.job.jobId);
    const secondAtHub = await services.hub.getJob(second.job.jobId);
    assert.ok(Date.parse(secondAtHub.createdTime!) >= Date.parse(firstAtHub.endTime!));
    for (const job of [first.job, second.job]) {
      const operations = await stack.admin.listOperations({ jobId: job.jobId });
      const devices = operations.map((operation) => operation.deviceId).sort();
      assert.deepEqual(devices, ['device-00001', 'device-00002', 'device-00003', 'device-00004']);
    }
  });

  it('does not give a job starting tomorrow a hub slot today', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const later = await createJob(
      { spec: methodJobSpec({ startTime: tomorrow }), mode: 'post' },
      services.deps,
    );
    assert.equal(later.job.status, 'accepted');
    await assert.rejects(services.hub.getJob(later.job.jobId), (error: unknown) => {
      assert.ok(error instanceof HubCallError);
      assert.equal(error.kind, 'notFound');
      return true;
    });
    const now = await createJob(
      { spec: methodJobSpec({ queryCondition: fourDevices }), mode: 'post' },
      services.deps,
    );
    assert.equal(now.admission, 'submitted');
    await driveUntil(
      'the job due now completes',
      tick,
      async () => (await status(now.job.jobId)) === 'completed',
    );
    assert.equal(await status(later.job.jobId), 'accepted');
    await cancelJob(later.job.jobId, services.deps);
  });

  it('cancels a job before submission without it ever reaching the hub', async () => {
    const inAnHour = new Date(Date.now() + 3600 * 1000).toISOString();
    const { job } = await createJob(
      { spec: methodJobSpec({ startTime: inAnHour }), mode: 'post' },
      services.deps,
    );
    const cancelled = await cancelJob(job.jobId, services.deps);
    assert.equal(cancelled.status, 'cancelled');
    await assert.rejects(services.hub.getJob(job.jobId), HubCallError);
    assert.equal(
      (await services.deps.jobStore.listActive()).some((j) => j.jobId === job.jobId),
      false,
    );
  });

  it('cancels a submitted job at the hub', async () => {
    const inAMinute = new Date(Date.now() + 60 * 1000).toISOString();
    const { job } = await createJob(
      { spec: methodJobSpec({ startTime: inAMinute }), mode: 'post' },
      services.deps,
    );
    assert.notEqual(job.status, 'accepted');
    const cancelled = await cancelJob(job.jobId, services.deps);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await services.hub.getJob(job.jobId)).status, 'cancelled');
  });

  it('takes over a job whose create stopped after its first write, once the grace is over', async () => {
    // Long enough that the check right after the create never falls past it, even on a busy box.
    const own = stack.services({ CREATE_GRACE_SECONDS: '4' });
    const ownTick = async () => {
      await pollActiveJobs(own.deps, own.pollOptions);
      await processQueueOnce(own, stack.azurite.connectionString);
    };
    // All a create leaves when its process dies right after its first write.
    const spec = methodJobSpec({ queryCondition: fourDevices });
    const job = newAcceptedJob(randomUUID(), spec, hashRequest(spec), new Date().toISOString());
    await own.deps.jobStore.createPending(job);
    assert.deepEqual(await own.deps.jobStore.listActive(), [], 'left to its create at first');

    await driveUntil(
      'the job completes',
      ownTick,
      async () => (await own.deps.jobStore.get(job.jobId))?.status === 'completed',
    );
    const operations = await stack.admin.listOperations({ jobId: job.jobId });
    assert.equal(operations.length, 4, 'each device called once');
    const listed = (await own.deps.jobStore.list({}, { pageSize: 10 })).items;
    assert.deepEqual(
      listed.map((item) => [item.jobId, item.status]),
      [[job.jobId, 'completed']],
    );
  });
});
