import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activePartition, truthRowKey } from '../../src/storage/jobEntity';
import { hubBudgetSizingOf } from '../../src/settings';
import {
  createStorageAdapters,
  hubBudgetTable,
  jobTables,
  rolloutTables,
} from '../../src/storage/createStorageAdapters';
import { makeRollout } from './rolloutFixtures';
import { ledgerRowKey } from '../../src/storage/hubBudgetRow';
import { undefinedWhenNotFound } from '../../src/storage/storageErrors';
import { makeJob, uniquePrefix, useAzuriteStorage, storeJob } from './storageFixtures';

describe('createStorageAdapters', () => {
  const clients = useAzuriteStorage();

  it('wires the job store to <prefix>jobs for jobs and <prefix>jobsactive for active markers', async () => {
    const prefix = uniquePrefix();
    const adapters = createStorageAdapters(clients(), {
      tablePrefix: prefix,
      jobRequestsQueue: `${prefix.toLowerCase()}-requests`,
    });
    const job = await storeJob(adapters.jobs, makeJob({ status: 'accepted' }));
    const jobs = clients().tableClient(`${prefix}${jobTables.jobs}`);
    const markers = clients().tableClient(`${prefix}${jobTables.markers}`);

    assert.equal(jobTables.markers, 'jobsactive');
    assert.equal((await jobs.getEntity(job.jobId, truthRowKey)).jobId, job.jobId);
    assert.notEqual(await markers.getEntity(activePartition, job.jobId), undefined);
    assert.equal(
      await undefinedWhenNotFound(() => jobs.getEntity(activePartition, job.jobId)),
      undefined,
    );
  });

  it('probes both job tables and the rollouts table in the health check', async () => {
    const prefix = uniquePrefix();
    const probed: string[] = [];
    const recording = {
      ...clients(),
      tableClient: (name: string) => {
        probed.push(name);
        return clients().tableClient(name);
      },
    };
    const adapters = createStorageAdapters(recording, {
      tablePrefix: prefix,
      jobRequestsQueue: `${prefix.toLowerCase()}-requests`,
    });
    const health = await adapters.checkHealth({ timeoutMs: 5000 });
    assert.equal(health.ok, true);
    assert.deepEqual(probed.sort(), [`${prefix}jobs`, `${prefix}jobsactive`, `${prefix}rollouts`]);
  });

  it('wires rollouts to <prefix>rollouts, <prefix>rolloutsactive, <prefix>rolloutchunks, <prefix>rolloutdevices and <prefix, lower-cased>-rollouts', async () => {
    const prefix = `${uniquePrefix()}Mixed`;
    const adapters = createStorageAdapters(clients(), {
      tablePrefix: prefix,
      jobRequestsQueue: `${prefix.toLowerCase()}-requests`,
    });
    const rollout = await adapters.rollouts.create(makeRollout());
    const rollouts = clients().tableClient(`${prefix}${rolloutTables.rollouts}`);
    const markers = clients().tableClient(`${prefix}${rolloutTables.markers}`);
    assert.equal(
      (await rollouts.getEntity(rollout.rolloutId, 'rollout')).rolloutId,
      rollout.rolloutId,
    );
    assert.equal((await markers.getEntity('_active', rollout.rolloutId)).rowKey, rollout.rolloutId);

    const chunk = { wave: 1, chunk: 1, queryCondition: "deviceId IN ['d1']", deviceCount: 1 };
    await adapters.rolloutChunks.put(rollout.rolloutId, [chunk]);
    const chunks = clients().tableClient(`${prefix}${rolloutTables.chunks}`);
    assert.equal(
      (await chunks.getEntity(rollout.rolloutId, '0000001-0000001')).queryCondition,
      chunk.queryCondition,
    );

    const result = { jobId: `${rollout.rolloutId}-w1-c1-a1`, deviceId: 'd1', attempt: 1 };
    await adapters.rolloutDeviceResults.record(rollout.rolloutId, [
      { ...result, status: 'completed', outcome: 'succeeded' },
    ]);
    const devices = clients().tableClient(`${prefix}${rolloutTables.devices}`);
    assert.equal((await devices.getEntity(rollout.rolloutId, 'd1')).jobId, result.jobId);

    const blobName = await adapters.deviceIdBlobs.writeOwn(rollout.rolloutId, ['d1', 'd2']);
    const container = clients().containerClient(`${prefix.toLowerCase()}-rollouts`);
    const own = await container.getBlobClient(blobName).downloadToBuffer();
    assert.equal(own.toString('utf8'), 'd1\nd2\n');
    const reference = `${prefix.toLowerCase()}-rollouts/${blobName}`;
    assert.deepEqual(await adapters.deviceIdBlobs.readProducer(reference, 100), {
      text: 'd1\nd2\n',
    });
  });

  it('wires the hub budget to <prefix>hubbudget, sized by the settings it is given', async () => {
    const prefix = uniquePrefix();
    const adapters = createStorageAdapters(
      clients(),
      { tablePrefix: prefix, jobRequestsQueue: `${prefix.toLowerCase()}-requests` },
      { hubBudget: hubBudgetSizingOf({ HUB_JOBS_OPS_PER_MINUTE: '10', HUB_QUOTA_SHARE: '0.5' }) },
    );
    assert.equal(await adapters.hubBudget.take('jobsOperations'), true);
    const usage = await adapters.hubBudget.usage();
    assert.equal(usage.jobsOperations.limitPerMinute, 5);
    assert.equal(usage.queries.limitPerMinute, 10);
    const row = await clients()
      .tableClient(`${prefix}${hubBudgetTable}`)
      .getEntity('jobsOperations', ledgerRowKey);
    assert.equal(typeof row.windows, 'string');
  });

  it("sizes the hub budget by the settings' defaults when none are given", async () => {
    const prefix = uniquePrefix();
    const adapters = createStorageAdapters(clients(), {
      tablePrefix: prefix,
      jobRequestsQueue: `${prefix.toLowerCase()}-requests`,
    });
    const usage = await adapters.hubBudget.usage();
    assert.deepEqual(usage, {
      jobsOperations: { usedLastMinute: 0, limitPerMinute: 80 },
      queries: { usedLastMinute: 0, limitPerMinute: 16 },
    });
  });
});
