import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { Job } from '../../src/jobs/job';
import {
  activePartition,
  listPartition,
  listRowKey,
  toTruthEntity,
  truthRowKey,
} from '../../src/storage/jobEntity';
import { ensureActiveMarker, projectJob } from '../../src/storage/jobProjections';
import { mapWithConcurrency } from '../../src/storage/mapWithConcurrency';
import { undefinedWhenNotFound } from '../../src/storage/storageErrors';
import { TableJobStore, type TableJobStoreOptions } from '../../src/storage/TableJobStore';
import {
  createdAtSeconds,
  makeJob,
  uniquePrefix,
  useAzuriteStorage,
  storeJob,
} from './storageFixtures';

/** Counts the point reads a store makes and records every query filter it sends. */
function observe(client: TableClient): {
  client: TableClient;
  pointReads: number;
  filters: string[];
} {
  const seen = { pointReads: 0, filters: [] as string[] };
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'getEntity' && args[1] === truthRowKey) seen.pointReads++;
        if (property === 'listEntities') {
          seen.filters.push(
            String((args[0] as { queryOptions?: { filter?: string } })?.queryOptions?.filter),
          );
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return Object.assign(seen, { client: proxy });
}

describe('TableJobStore.listActive', () => {
  const clients = useAzuriteStorage();
  const newStore = async (options: TableJobStoreOptions = {}) => {
    const prefix = uniquePrefix();
    const client = await clients().table(`${prefix}jobs`);
    const markers = await clients().table(`${prefix}jobsactive`);
    const observedJobs = observe(client);
    const observedMarkers = observe(markers);
    const tables = {
      jobs: () => Promise.resolve(observedJobs.client),
      markers: () => Promise.resolve(observedMarkers.client),
    };
    return {
      store: new TableJobStore(tables, options),
      client,
      markers,
      observedJobs,
      observedMarkers,
    };
  };
  const activeIds = async (store: TableJobStore): Promise<string[]> =>
    (await store.listActive()).map((job) => job.jobId).sort();

  it('returns only active jobs and reads nothing of the finished history', async () => {
    const { store, observedJobs, observedMarkers } = await newStore();
    const times = createdAtSeconds(64);
    const finished = times.slice(0, 60).map((createdAt, i) =>
      makeJob({
        createdAt,
        status: i % 2 ? 'completed' : 'failed',
        resultsImport: { phase: 'done', imported: 2 },
      }),
    );
    const active = [
      makeJob({ createdAt: times[60], status: 'accepted' }),
      makeJob({ createdAt: times[61], status: 'running' }),
      makeJob({ createdAt: times[62], status: 'scheduled' }),
      makeJob({
        createdAt: times[63],
        status: 'completed',
        resultsImport: { phase: 'failed', imported: 0 },
      }),
    ];
    await mapWithConcurrency([...finished, ...active], 8, (job) => storeJob(store, job));
    observedJobs.pointReads = 0;
    observedJobs.filters.length = 0;
    observedMarkers.filters.length = 0;

    const listed = await store.listActive();

    assert.deepEqual(
      listed.map((job) => job.jobId),
      active.map((job) => job.jobId),
    );
    assert.equal(observedJobs.pointReads, active.length);
    assert.deepEqual(observedJobs.filters, []);
    assert.deepEqual(observedMarkers.filters, [`PartitionKey eq '${activePartition}'`]);
  });

  it('keeps active markers in their own table, none among the jobs', async () => {
    const { store, client, markers } = await newStore();
    const job = await storeJob(store, makeJob({ status: 'running' }));
    const rowKeys = async (table: TableClient): Promise<string[]> => {
      const keys: string[] = [];
      const query = table.listEntities({
        queryOptions: { filter: `PartitionKey eq '${activePartition}'` },
      });
      for await (const row of query) keys.push(row.rowKey ?? '');
      return keys;
    };
    assert.deepEqual(await rowKeys(markers), [job.jobId]);
    assert.deepEqual(await rowKeys(client), []);
  });

  it('drops a job once it is terminal and its results are imported', async () => {
    const { store } = await newStore();
    let job = await storeJob(store, makeJob({ status: 'running' }));
    job = await store.update({
      ...job,
      status: 'completed',
      resultsImport: { phase: 'failed', imported: 0 },
    });
    assert.deepEqual(await activeIds(store), [job.jobId]);
    job = await store.update({ ...job, resultsImport: { phase: 'others', imported: 10 } });
    assert.deepEqual(await activeIds(store), [job.jobId]);
    await store.update({ ...job, resultsImport: { phase: 'done', imported: 20 } });
    assert.deepEqual(await activeIds(store), []);
  });

  it('returns jobs with revisions that update them', async () => {
    const { store } = await newStore();
    const created = await storeJob(store, makeJob({ status: 'queued' }));
    const [listed] = await store.listActive();
    assert.ok(listed);
    const updated = await store.update({ ...listed, status: 'running' });
    assert.equal((await store.get(created.jobId))?.status, updated.status);
  });

  it('finds and lists a job whose create stopped after the truth was written', async () => {
    const { store, client, markers } = await newStore();
    const job = makeJob({ status: 'accepted' });
    await ensureActiveMarker(markers, job.jobId);
    await client.createEntity(toTruthEntity(job, 1));
    assert.deepEqual((await store.list({}, { pageSize: 10 })).items, []);

    assert.deepEqual(await activeIds(store), [job.jobId]);
    assert.deepEqual(
      (await store.list({}, { pageSize: 10 })).items.map((j) => j.jobId),
      [job.jobId],
    );
  });

  it('finishes the projection of a job whose last update stopped before the marker was removed', async () => {
    const { store, client, markers } = await newStore();
    const created = await storeJob(store, makeJob({ status: 'running' }));
    const done: Job = {
      ...created,
      status: 'cancelled',
      resultsImport: { phase: 'done', imported: 0 },
    };
    const { etag } = await client.updateEntity(toTruthEntity(done, 2), 'Replace');
    assert.ok(etag);

    assert.deepEqual(await activeIds(store), []);
    const [listed] = (await store.list({}, { pageSize: 10 })).items;
    assert.equal(listed?.status, 'cancelled');
    const left = markers.listEntities({
      queryOptions: { filter: `PartitionKey eq '${activePartition}'` },
    });
    for await (const marker of left) assert.fail(`marker left behind: ${marker.rowKey}`);
  });

  it('never lets an older list copy overwrite a newer one', async () => {
    const { store, client, markers } = await newStore();
    const created = await storeJob(store, makeJob({ status: 'queued' }));
    await store.update({ ...created, status: 'running' });
    await projectJob({ jobs: client, markers }, created, 1);
    const row = await client.getEntity(listPartition, listRowKey(created));
    assert.equal(row.status, 'running');
  });

  it('removes a marker without a job only after the grace period', async () => {
    const { client, markers } = await newStore();
    const tables = { jobs: () => Promise.resolve(client), markers: () => Promise.resolve(markers) };
    const storeAt = (nowMs: number): TableJobStore =>
      new TableJobStore(tables, {
        createGraceMs: 30_000,
        clock: { now: () => new Date(nowMs) },
      });
    await ensureActiveMarker(markers, 'orphan-1');
    const markerExists = async (): Promise<boolean> =>
      (await undefinedWhenNotFound(() => markers.getEntity(activePartition, 'orphan-1'))) !==
      undefined;

    assert.deepEqual(await storeAt(Date.now()).listActive(), []);
    assert.equal(await markerExists(), true);
    assert.deepEqual(await storeAt(Date.now() + 60_000).listActive(), []);
    assert.equal(await markerExists(), false);
  });
});
