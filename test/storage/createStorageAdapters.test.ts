import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activePartition, truthRowKey } from '../../src/storage/jobEntity';
import { createStorageAdapters, jobTables } from '../../src/storage/createStorageAdapters';
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

  it('probes both job tables in the health check', async () => {
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
    assert.deepEqual(probed.sort(), [`${prefix}jobs`, `${prefix}jobsactive`]);
  });
});
