import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceResult } from '../../src/jobs/job';
import type { DeviceResultStore } from '../../src/jobs/ports';

export type MakeDeviceResultStore = () => Promise<DeviceResultStore>;

function result(jobId: string, index: number, overrides: Partial<DeviceResult> = {}): DeviceResult {
  const failed = index % 3 === 0;
  return {
    jobId,
    deviceId: `dev-${String(index).padStart(3, '0')}`,
    status: failed ? 'failed' : 'completed',
    outcome: failed ? 'timedOut' : 'succeeded',
    endTimeUtc: '2030-01-01T00:00:05.000Z',
    ...(failed
      ? { error: { code: '504101', description: 'Timed out' } }
      : { methodResponse: { status: 200, payload: { index } } }),
    ...overrides,
  };
}

async function listAll(
  store: DeviceResultStore,
  jobId: string,
  filter: { status?: string } = {},
  pageSize = 3,
): Promise<DeviceResult[]> {
  const all: DeviceResult[] = [];
  let token: string | undefined;
  do {
    const page = await store.list(jobId, filter, { pageSize, continuationToken: token });
    assert.ok(page.items.length <= pageSize);
    all.push(...page.items);
    token = page.continuationToken;
  } while (token !== undefined);
  return all;
}

/** What every DeviceResultStore promises the use cases, run against each implementation. */
export function describeDeviceResultStoreContract(
  name: string,
  makeStore: MakeDeviceResultStore,
): void {
  describe(`DeviceResultStore contract: ${name}`, () => {
    it("lists one job's results in device-id order, page by page", async () => {
      const store = await makeStore();
      const jobA = Array.from({ length: 8 }, (_, i) => result('job-a', i));
      await store.upsert([...jobA].reverse());
      await store.upsert([result('job-b', 1)]);
      assert.deepEqual(await listAll(store, 'job-a'), jobA);
      assert.deepEqual(await listAll(store, 'job-b', {}, 10), [result('job-b', 1)]);
      assert.deepEqual(await listAll(store, 'job-c'), []);
    });

    it('filters by status', async () => {
      const store = await makeStore();
      const results = Array.from({ length: 7 }, (_, i) => result('job-f', i));
      await store.upsert(results);
      const failed = await listAll(store, 'job-f', { status: 'failed' });
      assert.deepEqual(
        failed.map((item) => item.deviceId),
        ['dev-000', 'dev-003', 'dev-006'],
      );
    });

    it('takes the same results again without duplicates, the last write winning', async () => {
      const store = await makeStore();
      const results = Array.from({ length: 4 }, (_, i) => result('job-r', i));
      await store.upsert(results);
      await store.upsert(results);
      const changed = result('job-r', 1, { status: 'failed', outcome: 'failed' });
      await store.upsert([changed]);
      await store.upsert([]);
      assert.deepEqual(await listAll(store, 'job-r', {}, 10), [
        results[0],
        changed,
        results[2],
        results[3],
      ]);
    });
  });
}
