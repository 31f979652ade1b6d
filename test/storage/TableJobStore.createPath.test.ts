import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import { ConcurrencyError } from '../../src/core/errors';
import { JobExistsError } from '../../src/jobs/jobErrors';
import type { StoredJob } from '../../src/jobs/job';
import { activePartition, toTruthEntity, truthRowKey } from '../../src/storage/jobEntity';
import { undefinedWhenNotFound } from '../../src/storage/storageErrors';
import { TableJobStore } from '../../src/storage/TableJobStore';
import { makeJob, uniquePrefix, useAzuriteStorage } from './storageFixtures';

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

describe('TableJobStore: the create path (createPending, first update, completeCreate)', () => {
  const clients = useAzuriteStorage();
  const newStore = async (options: { markersTable?: string; nowMs?: number } = {}) => {
    const prefix = uniquePrefix();
    const jobs = await clients().table(`${prefix}jobs`);
    const markers =
      options.markersTable === undefined
        ? await clients().table(`${prefix}jobsactive`)
        : clients().tableClient(options.markersTable);
    const sent = { requests: 0, inFlight: 0, mostInFlight: 0 };
    const counter: PipelinePolicy = {
      name: 'countTableRequests',
      sendRequest: async (request, next) => {
        sent.requests++;
        sent.mostInFlight = Math.max(sent.mostInFlight, ++sent.inFlight);
        try {
          return await next(request);
        } finally {
          sent.inFlight--;
        }
      },
    };
    // Fresh clients of their own, so the counting policy sees this store's requests only.
    const countedJobs = clients().tableClient(`${prefix}jobs`);
    const countedMarkers = clients().tableClient(markers.tableName);
    countedJobs.pipeline.addPolicy(counter);
    countedMarkers.pipeline.addPolicy(counter);
    const tables = {
      jobs: () => Promise.resolve(countedJobs),
      markers: () => Promise.resolve(countedMarkers),
    };
    const storeAt = (nowMs: number) =>
      new TableJobStore(tables, {
        createGraceMs: 30_000,
        clock: { now: () => new Date(nowMs) },
      });
    return { store: storeAt(Date.now()), storeAt, jobs, markers, sent };
  };
  const listedIds = async (store: TableJobStore) =>
    (await store.list({}, { pageSize: 10 })).items.map((job) => job.jobId);
  const markerOf = (markers: TableClient, job: StoredJob) =>
    undefinedWhenNotFound(() =>
      markers.getEntity<{ projectedVersion?: number; pending?: boolean }>(
        activePartition,
        job.jobId,
      ),
    );

  it('keeps a new job in its marker: get sees it, list does not, listActive leaves it to its create', async () => {
    const { store, jobs } = await newStore();
    const created = await store.createPending(makeJob());

    assert.deepEqual(await store.get(created.jobId), created);
    assert.equal(
      await undefinedWhenNotFound(() => jobs.getEntity(created.jobId, truthRowKey)),
      undefined,
      'no truth yet',
    );
    assert.deepEqual(await listedIds(store), []);
    assert.deepEqual(await store.listActive(), [], 'its create is still under way');
  });

  it('writes truth and copy with the first update, leaving the marker for listActive', async () => {
    const { store, markers } = await newStore();
    const created = await store.createPending(makeJob());
    const queued = await store.update({ ...created, status: 'queued' });

    assert.equal((await store.get(created.jobId))?.status, 'queued');
    const [listed] = (await store.list({}, { pageSize: 10 })).items;
    assert.equal(listed?.status, 'queued');
    assert.equal((await markerOf(markers, queued))?.projectedVersion, undefined);
    assert.deepEqual(
      (await store.listActive()).map((job) => job.status),
      ['queued'],
    );
    const marker = await markerOf(markers, queued);
    assert.equal(marker?.projectedVersion, 2);
    assert.equal(marker?.pending, undefined, 'the marker no longer holds the job');
  });

  it('refuses a second first update from the same token', async () => {
    const { store } = await newStore();
    const created = await store.createPending(makeJob());
    await store.update({ ...created, status: 'queued' });
    await assert.rejects(store.update({ ...created, status: 'cancelled' }), ConcurrencyError);
    assert.equal((await store.get(created.jobId))?.status, 'queued');
  });

  it('creates and submits a job in three table requests', async () => {
    const { store, sent } = await newStore();
    const created = await store.createPending(makeJob());
    await store.update({ ...created, status: 'queued' });
    // The marker holding the job; then the truth and the first copy.
    assert.equal(sent.requests, 3);
  });

  it('sends the truth and the copy of a first update at once, so a create waits for one of them', async () => {
    const { store, sent } = await newStore();
    const created = await store.createPending(makeJob());
    sent.mostInFlight = 0;
    await store.update({ ...created, status: 'queued' });
    assert.equal(sent.requests, 3);
    assert.equal(sent.mostInFlight, 2);
  });

  it('brings a new job in step in listActive without rewriting the copy its create sent', async () => {
    const { store, markers, sent } = await newStore();
    const queued = await store.update({
      ...(await store.createPending(makeJob())),
      status: 'queued',
    });
    sent.requests = 0;
    assert.deepEqual(
      (await store.listActive()).map((job) => job.jobId),
      [queued.jobId],
    );
    // The markers' query, the truth, the copy's version and fingerprint, then the marker.
    assert.equal(sent.requests, 4);
    assert.equal((await markerOf(markers, queued))?.projectedVersion, 2);
    const listed = await store.update({ ...queued, status: 'running' });
    assert.deepEqual(
      (await store.list({}, { pageSize: 10 })).items,
      [listed],
      'the next change replaces the copy',
    );
  });

  it('never lets the copy of a first update whose truth lost pass for the job', async () => {
    const { store, jobs } = await newStore();
    const created = await store.createPending(makeJob());
    // Another writer created the truth first (a replayed PUT completing the create, say).
    await jobs.createEntity(toTruthEntity(created, 1));
    await assert.rejects(store.update({ ...created, status: 'queued' }), ConcurrencyError);
    const [provisional] = (await store.list({}, { pageSize: 10 })).items;
    assert.ok(provisional);
    assert.equal(provisional.status, 'queued', 'the copy sent beside the truth landed');
    await assert.rejects(store.update({ ...provisional, status: 'cancelled' }), ConcurrencyError);

    assert.deepEqual(
      (await store.listActive()).map((job) => job.status),
      ['accepted'],
    );
    const [listed] = (await store.list({}, { pageSize: 10 })).items;
    assert.equal(listed?.status, 'accepted', 'listActive projected the truth over it');
  });

  it('writes the job out of a marker whose create stopped, once the grace period is over', async () => {
    const { storeAt } = await newStore();
    const now = Date.now();
    const created = await storeAt(now).createPending(makeJob());

    assert.deepEqual(await storeAt(now).listActive(), []);
    const [recovered] = await storeAt(now + 60_000).listActive();
    assert.ok(recovered);
    assert.equal(recovered.jobId, created.jobId);
    assert.equal(recovered.status, 'accepted');
    assert.deepEqual(await listedIds(storeAt(now)), [created.jobId]);
    // The create's own first update, should it come after all, loses and re-reads.
    await assert.rejects(storeAt(now).update({ ...created, status: 'queued' }), ConcurrencyError);
    const updated = await storeAt(now).update({ ...recovered, status: 'queued' });
    assert.equal((await storeAt(now).get(created.jobId))?.status, updated.status);
  });

  it('completeCreate lists a job no update has listed, and is harmless to repeat', async () => {
    const { store, markers } = await newStore();
    const created = await store.createPending(makeJob());
    const listed = await store.completeCreate(created);
    assert.deepEqual(await store.completeCreate(created), created, 'lost to its own first write');
    assert.deepEqual(await store.completeCreate(listed), listed);

    assert.deepEqual(await listedIds(store), [created.jobId]);
    assert.equal((await markerOf(markers, created))?.projectedVersion, 1);
    assert.deepEqual(await store.get(created.jobId), listed);
  });

  it('completeCreate sends no request for a job its first update listed', async () => {
    const { store, sent } = await newStore();
    const queued = await store.update({
      ...(await store.createPending(makeJob())),
      status: 'queued',
    });
    sent.requests = 0;
    assert.deepEqual(await store.completeCreate(queued), queued);
    assert.equal(sent.requests, 0);
  });

  it('stores nothing when the marker cannot be written, and says why', async () => {
    const { store, jobs } = await newStore({ markersTable: `${uniquePrefix()}nosuchtable` });
    const job = makeJob();
    await assert.rejects(store.createPending(job), (error: Error) => {
      assert.match(error.message, /table/i);
      return true;
    });
    const truth = await undefinedWhenNotFound(() => jobs.getEntity(job.jobId, truthRowKey));
    assert.equal(truth, undefined);
    assert.deepEqual(await listedIds(store), []);
  });

  it('refuses the id of a job still active, and leaves that job as it was', async () => {
    const { store } = await newStore();
    const first = await store.createPending(makeJob());
    const queued = await store.update({ ...first, status: 'queued' });

    await assert.rejects(store.createPending({ ...makeJob(), jobId: first.jobId }), JobExistsError);
    assert.deepEqual(await store.get(first.jobId), queued);
  });
});
