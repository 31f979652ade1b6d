import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobClaimCheck } from '../../src/storage/BlobClaimCheck';
import { StorageWorkQueue } from '../../src/storage/StorageWorkQueue';
import { TableDeviceResultStore } from '../../src/storage/TableDeviceResultStore';
import { TableIdempotencyStore } from '../../src/storage/TableIdempotencyStore';
import { TableJobStore } from '../../src/storage/TableJobStore';
import { makeJob, storeJob, uniquePrefix, useAzuriteStorage } from './storageFixtures';

const aborted = () => ({ abortSignal: AbortSignal.abort() });
const isAbort = (error: unknown) => (error as { name?: unknown }).name === 'AbortError';

describe('storage calls given an aborted signal', () => {
  const clients = useAzuriteStorage();
  const table = async (suffix: string) => {
    const client = await clients().table(`${uniquePrefix()}${suffix}`);
    return () => Promise.resolve(client);
  };
  const jobStore = async () =>
    new TableJobStore({ jobs: await table('jobs'), markers: await table('jobsactive') });

  it('give up on a job create and store nothing', async () => {
    const store = await jobStore();
    const job = makeJob();
    await assert.rejects(store.createPending(job, aborted()), isAbort);
    assert.equal(await store.get(job.jobId), undefined);
  });

  it('give up on job reads, updates and lists', async () => {
    const store = await jobStore();
    const job = await storeJob(store, makeJob());
    await assert.rejects(store.get(job.jobId, aborted()), isAbort);
    await assert.rejects(store.update({ ...job, status: 'queued' }, aborted()), isAbort);
    await assert.rejects(store.list({}, { pageSize: 5 }, aborted()), isAbort);
    await assert.rejects(store.listActive(aborted()), isAbort);
    assert.equal((await store.get(job.jobId))?.status, 'accepted');
  });

  it('give up on device results, idempotency records and queue sends', async () => {
    const results = new TableDeviceResultStore(await table('deviceresults'));
    const result = {
      jobId: 'j',
      deviceId: 'd',
      status: 'completed',
      outcome: 'succeeded',
    } as const;
    await assert.rejects(results.upsert([result], aborted()), isAbort);
    await assert.rejects(results.list('j', {}, { pageSize: 5 }, aborted()), isAbort);
    const keys = new TableIdempotencyStore(await table('idempotency'));
    const record = {
      requestHash: 'h',
      state: 'inFlight',
      expiresAt: '2999-01-01T00:00:00Z',
    } as const;
    await assert.rejects(keys.claim('s', 'k', record, aborted()), isAbort);
    await assert.rejects(keys.release('s', 'k', aborted()), isAbort);
    const queue = await clients().queue(`${uniquePrefix()}-requests`);
    const work = new StorageWorkQueue(() => Promise.resolve(queue));
    const message = { schemaVersion: 1, kind: 'submitJob', jobId: 'j' } as const;
    await assert.rejects(work.send(message, aborted()), isAbort);
    assert.equal((await queue.getProperties()).approximateMessagesCount, 0);
  });

  it('give up on claim-check blobs', async () => {
    const name = `${uniquePrefix()}-claims`;
    const claims = new BlobClaimCheck(() => clients().container(name));
    await assert.rejects(claims.put('ids.json', { ids: [1] }, aborted()), isAbort);
    assert.equal(await claims.get('ids.json'), undefined);
    await claims.put('ids.json', { ids: [1] });
    await assert.rejects(claims.get('ids.json', aborted()), isAbort);
    await assert.rejects(claims.delete('ids.json', aborted()), isAbort);
    assert.deepEqual(await claims.get('ids.json'), { ids: [1] });
  });
});
