import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { StoredJob } from '../../src/jobs/job';
import {
  activePartition,
  listPartition,
  listRowKey,
  truthRowKey,
} from '../../src/storage/jobEntity';
import { undefinedWhenNotFound } from '../../src/storage/storageErrors';
import { TableJobStore } from '../../src/storage/TableJobStore';
import { makeJob, uniquePrefix, useAzuriteStorage } from './storageFixtures';

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

describe('TableJobStore with deferListing (the create path)', () => {
  const clients = useAzuriteStorage();
  const newStore = async (options: { markersTable?: string } = {}) => {
    const prefix = uniquePrefix();
    const jobs = await clients().table(`${prefix}jobs`);
    const markers =
      options.markersTable === undefined
        ? await clients().table(`${prefix}jobsactive`)
        : clients().tableClient(options.markersTable);
    const sent = { requests: 0 };
    const counter: PipelinePolicy = {
      name: 'countTableRequests',
      sendRequest: (request, next) => {
        sent.requests++;
        return next(request);
      },
    };
    // Fresh clients of their own, so the counting policy sees this store's requests only.
    const countedJobs = clients().tableClient(`${prefix}jobs`);
    const countedMarkers = clients().tableClient(markers.tableName);
    countedJobs.pipeline.addPolicy(counter);
    countedMarkers.pipeline.addPolicy(counter);
    const store = new TableJobStore({
      jobs: () => Promise.resolve(countedJobs),
      markers: () => Promise.resolve(countedMarkers),
    });
    return { store, jobs, markers, sent };
  };
  const listedIds = async (store: TableJobStore) =>
    (await store.list({}, { pageSize: 10 })).items.map((job) => job.jobId);
  const markerOf = (markers: TableClient, job: StoredJob) =>
    undefinedWhenNotFound(() =>
      markers.getEntity<{ projectedVersion?: number }>(activePartition, job.jobId),
    );

  it('keeps a new job out of list until its first update, yet get and listActive see it', async () => {
    const { store } = await newStore();
    const created = await store.create(makeJob(), { deferListing: true });

    assert.deepEqual(await store.get(created.jobId), created);
    assert.deepEqual(await listedIds(store), []);
    assert.deepEqual(
      (await store.listActive()).map((job) => job.jobId),
      [created.jobId],
      'listActive lists it too, repairing the projection',
    );
    assert.deepEqual(await listedIds(store), [created.jobId]);
  });

  it('lists the job with its first update, leaving the marker for listActive to record', async () => {
    const { store, markers } = await newStore();
    const created = await store.create(makeJob(), { deferListing: true });
    const queued = await store.update({ ...created, status: 'queued' });

    const [listed] = (await store.list({}, { pageSize: 10 })).items;
    assert.equal(listed?.status, 'queued');
    assert.equal((await markerOf(markers, queued))?.projectedVersion, undefined);
    await store.listActive();
    assert.equal((await markerOf(markers, queued))?.projectedVersion, 2);
  });

  it('creates and submits a job in four table requests', async () => {
    const { store, sent } = await newStore();
    const created = await store.create(makeJob(), { deferListing: true });
    await store.update({ ...created, status: 'queued' });
    // Marker and truth (together), then the truth again and the first copy.
    assert.equal(sent.requests, 4);
  });

  it('ensureVisible lists a job no update has listed, and is harmless to repeat', async () => {
    const { store, markers } = await newStore();
    const created = await store.create(makeJob(), { deferListing: true });
    await store.ensureVisible(created);
    await store.ensureVisible(created);

    assert.deepEqual(await listedIds(store), [created.jobId]);
    assert.equal((await markerOf(markers, created))?.projectedVersion, 1);
  });

  it('ensureVisible brings back the missing marker of an active job', async () => {
    const { store, markers } = await newStore();
    const created = await store.create(makeJob(), { deferListing: true });
    const queued = await store.update({ ...created, status: 'queued' });
    await markers.deleteEntity(activePartition, queued.jobId);
    assert.deepEqual(await store.listActive(), []);

    await store.ensureVisible(queued);
    assert.deepEqual(
      (await store.listActive()).map((job) => job.jobId),
      [queued.jobId],
    );
  });

  it('takes the job back when its marker cannot be written, and says why', async () => {
    const { store, jobs } = await newStore({ markersTable: `${uniquePrefix()}nosuchtable` });
    const job = makeJob();
    await assert.rejects(store.create(job, { deferListing: true }), (error: Error) => {
      assert.match(error.message, /table/i);
      return true;
    });
    const truth = await undefinedWhenNotFound(() => jobs.getEntity(job.jobId, truthRowKey));
    assert.equal(truth, undefined, 'no job the poller cannot see is left behind');
    const copy = await undefinedWhenNotFound(() => jobs.getEntity(listPartition, listRowKey(job)));
    assert.equal(copy, undefined);
  });
});
