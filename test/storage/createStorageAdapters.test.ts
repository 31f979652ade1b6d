import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activePartition, truthRowKey } from '../../src/storage/jobEntity';
import { hubBudgetSizingOf } from '../../src/settings';
import {
  createStorageAdapters,
  hubBudgetTable,
  jobTables,
} from '../../src/storage/createStorageAdapters';
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
