import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import { ConcurrencyError, ValidationError } from '../../src/core/errors';
import { JobExistsError, JobNotFoundError } from '../../src/jobs/jobErrors';
import { TableJobStore } from '../../src/storage/TableJobStore';
import {
  createdAtSeconds,
  makeJob,
  uniquePrefix,
  useAzuriteStorage,
  storeJob,
} from './storageFixtures';

describe('TableJobStore', () => {
  const clients = useAzuriteStorage();
  const newStore = (): { store: TableJobStore; table: () => Promise<TableClient> } => {
    const prefix = uniquePrefix();
    const table = (): Promise<TableClient> => clients().table(`${prefix}jobs`);
    const markers = (): Promise<TableClient> => clients().table(`${prefix}jobsactive`);
    return { store: new TableJobStore({ jobs: table, markers }), table };
  };

  it('returns a created job by id, with its spec and a revision', async () => {
    const { store } = newStore();
    const job = makeJob();
    const created = await storeJob(store, job);
    const read = await store.get(job.jobId);
    assert.ok(read);
    assert.deepEqual(read, created);
    assert.deepEqual(read.spec, job.spec);
    assert.equal(typeof read.revision, 'string');
  });

  it('answers undefined for an unknown or malformed id', async () => {
    const { store } = newStore();
    assert.equal(await store.get('no-such-job'), undefined);
    assert.equal(await store.get('../bad/id'), undefined);
  });

  it('refuses a taken id with JobExistsError and keeps the first job', async () => {
    const { store } = newStore();
    const job = makeJob();
    await storeJob(store, job);
    await assert.rejects(storeJob(store, { ...job, requestHash: 'other' }), JobExistsError);
    assert.equal((await store.get(job.jobId))?.requestHash, job.requestHash);
  });

  it('updates with the current revision and refuses a stale one with ConcurrencyError', async () => {
    const { store } = newStore();
    const created = await storeJob(store, makeJob());
    const updated = await store.update({ ...created, status: 'running' });
    assert.notEqual(updated.revision, created.revision);
    assert.equal((await store.get(created.jobId))?.status, 'running');
    await assert.rejects(store.update({ ...created, status: 'failed' }), ConcurrencyError);
    assert.equal((await store.get(created.jobId))?.status, 'running');
  });

  it('refuses to update a job that does not exist, or with a revision it never issued', async () => {
    const { store } = newStore();
    const ghost = { ...makeJob(), revision: '1;1;AAAA;W/"datetime\'2030-01-01T00%3A00%3A00Z\'"' };
    await assert.rejects(store.update(ghost), JobNotFoundError);
    const created = await storeJob(store, makeJob());
    await assert.rejects(store.update({ ...created, revision: 'made-up' }), ConcurrencyError);
    assert.equal((await store.get(created.jobId))?.revision, created.revision);
  });

  it('round-trips a spec with a 128 KB method payload', async () => {
    const { store } = newStore();
    const payload = { blob: 'x'.repeat(128 * 1024 - 20), emoji: '😀'.repeat(100) };
    const job = makeJob();
    job.spec.cloudToDeviceMethod = { methodName: 'big', payload };
    await storeJob(store, job);
    assert.deepEqual((await store.get(job.jobId))?.spec.cloudToDeviceMethod?.payload, payload);
    const page = await store.list({}, { pageSize: 10 });
    assert.deepEqual(page.items[0]?.spec.cloudToDeviceMethod?.payload, payload);
  });

  describe('list', () => {
    it('lists newest first, page by page, with continuation tokens', async () => {
      const { store } = newStore();
      const times = createdAtSeconds(7);
      const ids = [];
      for (const createdAt of times)
        ids.push((await storeJob(store, makeJob({ createdAt }))).jobId);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({}, { pageSize: 3, continuationToken: token });
        seen.push(...page.items.map((job) => job.jobId));
        token = page.continuationToken;
        pages++;
      } while (token !== undefined && pages < 10);
      assert.deepEqual(seen, [...ids].reverse());
      assert.equal(pages, 3);
    });

    it('filters by status, type and createdAfter', async () => {
      const { store } = newStore();
      const [t0, t1, t2, t3] = createdAtSeconds(4);
      const method = await storeJob(store, makeJob({ createdAt: t0, status: 'completed' }));
      const twin = makeJob({ createdAt: t1, status: 'running' });
      twin.spec = {
        type: 'scheduleUpdateTwin',
        queryCondition: 'tags.a = 1',
        maxExecutionTimeInSeconds: 60,
        updateTwin: { tags: { a: 2 } },
      };
      await storeJob(store, twin);
      const late = await storeJob(store, makeJob({ createdAt: t2, status: 'running' }));
      const latest = await storeJob(store, makeJob({ createdAt: t3, status: 'completed' }));
      const ids = async (filter: Parameters<TableJobStore['list']>[0]): Promise<string[]> =>
        (await store.list(filter, { pageSize: 100 })).items.map((job) => job.jobId);

      assert.deepEqual(await ids({ status: 'completed' }), [latest.jobId, method.jobId]);
      assert.deepEqual(await ids({ type: 'scheduleUpdateTwin' }), [twin.jobId]);
      assert.deepEqual(await ids({ createdAfter: t1 }), [latest.jobId, late.jobId]);
      assert.deepEqual(await ids({ createdAfter: t1, status: 'running' }), [late.jobId]);
    });

    it('shows the latest state of an updated job, with a revision that updates it', async () => {
      const { store } = newStore();
      const created = await storeJob(store, makeJob());
      await store.update({ ...created, status: 'running' });
      const [listed] = (await store.list({}, { pageSize: 10 })).items;
      assert.equal(listed?.status, 'running');
      const again = await store.update({ ...listed, status: 'completed' });
      assert.equal(again.status, 'completed');
    });

    it('refuses a mangled continuation token with a ValidationError naming it', async () => {
      const { store } = newStore();
      await assert.rejects(
        store.list({}, { pageSize: 5, continuationToken: 'not-a-token!' }),
        (error: unknown) => {
          assert.ok(error instanceof ValidationError);
          assert.equal(error.errors[0]?.field, 'continuationToken');
          return true;
        },
      );
    });
  });
});
