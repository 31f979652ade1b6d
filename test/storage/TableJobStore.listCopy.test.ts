import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { StoredJob } from '../../src/jobs/job';
import { listPartition, listRowKey, toTruthEntity } from '../../src/storage/jobEntity';
import { TableJobStore } from '../../src/storage/TableJobStore';
import { makeJob, uniquePrefix, useAzuriteStorage, storeJob } from './storageFixtures';

/** Counts every request a store sends to the list partition (reads and writes of copies). */
function countListRequests(client: TableClient): { client: TableClient; requests: number } {
  const seen = { requests: 0 };
  const touchesList = (args: unknown[]): boolean =>
    args[0] === listPartition ||
    (args[0] as { partitionKey?: unknown } | undefined)?.partitionKey === listPartition;
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (touchesList(args)) seen.requests++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return Object.assign(seen, { client: proxy });
}

const pollAt = (job: StoredJob, second: number): StoredJob => {
  const at = new Date(Date.UTC(2030, 0, 1, 0, 0, second)).toISOString();
  return { ...job, lastPolledAt: at, updatedAt: at };
};

describe('TableJobStore list copy', () => {
  const clients = useAzuriteStorage();
  const newStore = async () => {
    const prefix = uniquePrefix();
    const client = await clients().table(`${prefix}jobs`);
    const markers = await clients().table(`${prefix}jobsactive`);
    const counted = countListRequests(client);
    const tables = {
      jobs: () => Promise.resolve(counted.client),
      markers: () => Promise.resolve(markers),
    };
    return { store: new TableJobStore(tables), client, counted };
  };
  const copyOf = async (client: TableClient, job: StoredJob) =>
    client.getEntity<{ version?: number; status?: string }>(listPartition, listRowKey(job));

  it('is left alone by updates that change only lastPolledAt and updatedAt', async () => {
    const { store, client, counted } = await newStore();
    let job = await storeJob(store, makeJob({ status: 'running' }));
    const copyVersion = (await copyOf(client, job)).version;
    counted.requests = 0;
    for (let second = 1; second <= 5; second++) job = await store.update(pollAt(job, second));
    const [active] = await store.listActive();

    assert.equal(counted.requests, 0);
    assert.equal((await copyOf(client, job)).version, copyVersion);
    assert.equal(active?.lastPolledAt, job.lastPolledAt);
    assert.equal((await store.get(job.jobId))?.lastPolledAt, job.lastPolledAt);
    const [listed] = (await store.list({}, { pageSize: 10 })).items;
    assert.equal(listed?.lastPolledAt, undefined);
  });

  it('is rewritten by an update that changes what the list shows', async () => {
    const { store, client, counted } = await newStore();
    let job = await storeJob(store, makeJob({ status: 'queued' }));
    job = await store.update(pollAt(job, 1));
    counted.requests = 0;
    job = await store.update({ ...pollAt(job, 2), status: 'running' });

    assert.ok(counted.requests > 0);
    const copy = await copyOf(client, job);
    assert.equal(copy.status, 'running');
    assert.equal(copy.version, 3);
    const [listed] = (await store.list({}, { pageSize: 10 })).items;
    assert.equal(listed?.lastPolledAt, job.lastPolledAt);
  });

  it('is repaired by listActive when a change stopped after the truth and polls followed', async () => {
    const { store, client } = await newStore();
    const created = await storeJob(store, makeJob({ status: 'queued' }));
    // The change reached the truth only; then the poller updated the job it read back.
    await client.updateEntity(toTruthEntity({ ...created, status: 'running' }, 2), 'Replace');
    let job = await store.get(created.jobId);
    assert.ok(job);
    for (let second = 1; second <= 3; second++) job = await store.update(pollAt(job, second));
    assert.equal((await copyOf(client, job)).status, 'queued');

    await store.listActive();

    assert.equal((await copyOf(client, job)).status, 'running');
  });
});
