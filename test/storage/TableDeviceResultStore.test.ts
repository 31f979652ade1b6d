import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { DeviceResult } from '../../src/jobs/job';
import { TableDeviceResultStore } from '../../src/storage/TableDeviceResultStore';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

function deviceResult(jobId: string, index: number): DeviceResult {
  const failed = index % 5 === 0;
  return {
    jobId,
    deviceId: `dev-${String(index).padStart(4, '0')}`,
    status: failed ? 'failed' : 'completed',
    outcome: failed ? 'offline' : 'succeeded',
    startTimeUtc: '2030-01-01T00:00:00.000Z',
    endTimeUtc: '2030-01-01T00:00:05.000Z',
    ...(failed
      ? { error: { code: '404103', description: 'Device is offline' } }
      : { methodResponse: { status: 200, payload: { index } } }),
  };
}

describe('TableDeviceResultStore', () => {
  const clients = useAzuriteStorage();
  let transactions: number;
  const newStore = async (): Promise<TableDeviceResultStore> => {
    const client = await clients().table(`${uniquePrefix()}deviceresults`);
    const counting = Object.assign(Object.create(client) as TableClient, {
      submitTransaction: (...args: Parameters<TableClient['submitTransaction']>) => {
        transactions++;
        return client.submitTransaction(...args);
      },
    });
    return new TableDeviceResultStore(() => Promise.resolve(counting));
  };
  const listAll = async (store: TableDeviceResultStore, jobId: string, status?: string) => {
    const all: DeviceResult[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await store.list(jobId, status === undefined ? {} : { status }, {
        pageSize: 100,
        continuationToken: token,
      });
      all.push(...page.items);
      token = page.continuationToken;
      pages++;
    } while (token !== undefined);
    return { all, pages };
  };

  it('stores 250 results, one with a 128 KB payload, and lists them all back in device order', async () => {
    const store = await newStore();
    const results = Array.from({ length: 250 }, (_, i) => deviceResult('job-a', i));
    const huge = { blob: 'y'.repeat(128 * 1024 - 40), quote: '"\\', emoji: '🚀' };
    results[7] = { ...deviceResult('job-a', 7), methodResponse: { status: 200, payload: huge } };
    transactions = 0;

    await store.upsert([...results].reverse());

    assert.equal(transactions, 3);
    const { all, pages } = await listAll(store, 'job-a');
    assert.equal(pages, 3);
    assert.deepEqual(all, results);
  });

  it('is idempotent: the same rows written again leave one row per device', async () => {
    const store = await newStore();
    const results = Array.from({ length: 30 }, (_, i) => deviceResult('job-b', i));
    await store.upsert(results);
    await store.upsert(results);
    assert.deepEqual((await listAll(store, 'job-b')).all, results);
  });

  it('keeps jobs apart and filters by status', async () => {
    const store = await newStore();
    await store.upsert([
      ...Array.from({ length: 10 }, (_, i) => deviceResult('job-c', i)),
      ...Array.from({ length: 4 }, (_, i) => deviceResult('job-d', i)),
    ]);
    const failed = (await listAll(store, 'job-c', 'failed')).all;
    assert.deepEqual(
      failed.map((result) => result.deviceId),
      ['dev-0000', 'dev-0005'],
    );
    assert.equal((await listAll(store, 'job-d')).all.length, 4);
  });

  it('stores device ids with characters table keys cannot hold', async () => {
    const store = await newStore();
    const ids = ['a/b', 'c\\d', 'e#f', 'g?h', "i'j", 'k%l', 'm:n=o@p$q,r(s)t*u!v~w'];
    await store.upsert(ids.map((deviceId) => ({ ...deviceResult('job-e', 1), deviceId })));
    const listed = (await listAll(store, 'job-e')).all.map((result) => result.deviceId);
    assert.deepEqual([...listed].sort(), [...ids].sort());
  });

  it('splits a batch of large rows so no transaction exceeds 4 MiB', async () => {
    const store = await newStore();
    const payload = { blob: 'z'.repeat(128 * 1024 - 20) };
    const results = Array.from({ length: 40 }, (_, i) => ({
      ...deviceResult('job-f', i),
      methodResponse: { status: 200, payload },
    }));
    transactions = 0;
    await store.upsert(results);
    assert.ok(transactions >= 2, `expected several transactions, saw ${transactions}`);
    assert.equal((await listAll(store, 'job-f')).all.length, 40);
  });
});
