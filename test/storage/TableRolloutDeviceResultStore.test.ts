import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { DeviceOutcome } from '../../src/jobs/job';
import type {
  AttemptResult,
  RolloutDeviceOutcome,
  RolloutDeviceResult,
} from '../../src/rollouts/ports';
import { TableRolloutDeviceResultStore } from '../../src/storage/TableRolloutDeviceResultStore';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

const rolloutId = 'fw-2030';

function result(index: number, attempt: number, outcome: DeviceOutcome): AttemptResult {
  return {
    jobId: `${rolloutId}-w1-c${(index % 3) + 1}-a${attempt}`,
    deviceId: `dev-${String(index).padStart(4, '0')}`,
    attempt,
    status: outcome === 'succeeded' ? 'completed' : 'failed',
    outcome,
    endTimeUtc: `2030-01-01T00:0${attempt}:00.000Z`,
    ...(outcome === 'succeeded'
      ? { methodResponse: { status: 200, payload: { attempt } } }
      : { error: { code: '404103', description: `offline in attempt ${attempt}` } }),
  };
}

async function listAll(
  store: TableRolloutDeviceResultStore,
  outcome?: RolloutDeviceOutcome,
): Promise<{ rows: RolloutDeviceResult[]; pages: number }> {
  const rows: RolloutDeviceResult[] = [];
  let continuationToken: string | undefined;
  let pages = 0;
  do {
    const filter = outcome === undefined ? {} : { outcome };
    const page = await store.list(rolloutId, filter, { pageSize: 40, continuationToken });
    rows.push(...page.items);
    continuationToken = page.continuationToken;
    pages++;
  } while (continuationToken !== undefined);
  return { rows, pages };
}

describe('TableRolloutDeviceResultStore', () => {
  const clients = useAzuriteStorage();
  let transactions = 0;
  const newStore = async (): Promise<TableRolloutDeviceResultStore> => {
    const client = await clients().table(`${uniquePrefix()}rolloutdevices`);
    const counting = Object.assign(Object.create(client) as TableClient, {
      submitTransaction: (...args: Parameters<TableClient['submitTransaction']>) => {
        transactions++;
        return client.submitTransaction(...args);
      },
    });
    return new TableRolloutDeviceResultStore(() => Promise.resolve(counting));
  };

  it('records 150 first attempts in two transactions and lists them in device-id order, paged', async () => {
    const store = await newStore();
    const first = Array.from({ length: 150 }, (_, i) => result(i, 1, 'succeeded'));
    transactions = 0;
    await store.record(rolloutId, [...first].reverse());
    assert.equal(transactions, 2);

    const { rows, pages } = await listAll(store);
    assert.equal(pages, 4);
    assert.deepEqual(
      rows.map((row) => row.deviceId),
      first.map((r) => r.deviceId),
    );
    assert.deepEqual(rows[7], { ...first[7], rolloutId });
  });

  it('keeps the later attempt whichever order the attempts are recorded in', async () => {
    const store = await newStore();
    const attempt1 = Array.from({ length: 30 }, (_, i) => result(i, 1, 'offline'));
    const attempt3 = attempt1.slice(0, 10).map((_, i) => result(i, 3, 'succeeded'));
    const attempt2 = attempt1.slice(0, 20).map((_, i) => result(i, 2, 'failed'));

    await store.record(rolloutId, attempt3);
    await store.record(rolloutId, attempt1);
    await store.record(rolloutId, attempt2);
    await store.record(rolloutId, attempt1);

    const { rows } = await listAll(store);
    assert.equal(rows.length, 30);
    assert.deepEqual(
      rows.map((row) => [row.deviceId, row.attempt, row.outcome, row.jobId]),
      attempt1.map((r, i) => {
        const latest = i < 10 ? attempt3[i] : i < 20 ? attempt2[i] : r;
        return [r.deviceId, latest?.attempt, latest?.outcome, latest?.jobId];
      }),
    );
    assert.deepEqual(await store.countByOutcome(rolloutId), {
      succeeded: 10,
      failed: 10,
      offline: 10,
    });
  });

  it('writes an equal attempt again, so a re-imported page refreshes its rows', async () => {
    const store = await newStore();
    await store.record(rolloutId, [result(1, 2, 'failed')]);
    const again = { ...result(1, 2, 'failed'), error: { code: '500', description: 'changed' } };
    await store.record(rolloutId, [again]);
    const { rows } = await listAll(store);
    assert.deepEqual(rows, [{ ...again, rolloutId }]);
  });

  it("keeps a verification's verdict when the same attempt is imported again, and a later attempt replaces it", async () => {
    const store = await newStore();
    const awaiting: AttemptResult = {
      ...result(1, 1, 'succeeded'),
      outcome: 'running',
      verification: 'awaiting',
    };
    await store.record(rolloutId, [awaiting, { ...awaiting, deviceId: 'dev-0002' }]);
    const verdict = { jobId: awaiting.jobId, attempt: 1 };
    await store.recordVerified(rolloutId, [
      { ...verdict, deviceId: awaiting.deviceId, verification: 'converged' },
      { ...verdict, deviceId: 'dev-0002', verification: 'notConverged' },
    ]);
    await store.record(rolloutId, [awaiting, { ...awaiting, deviceId: 'dev-0002' }]);
    let { rows } = await listAll(store);
    assert.deepEqual(
      rows.map((row) => [row.deviceId, row.outcome, row.verification, row.endTimeUtc]),
      [
        ['dev-0001', 'succeeded', 'converged', awaiting.endTimeUtc],
        ['dev-0002', 'notConverged', 'notConverged', awaiting.endTimeUtc],
      ],
      'the verdict stands, and the rest of the row is kept',
    );
    assert.deepEqual(
      (await listAll(store, 'notConverged')).rows.map((row) => row.deviceId),
      ['dev-0002'],
    );
    await store.record(rolloutId, [{ ...result(2, 2, 'succeeded'), deviceId: 'dev-0002' }]);
    ({ rows } = await listAll(store));
    assert.deepEqual(
      rows.map((row) => [row.deviceId, row.attempt, row.outcome, row.verification]),
      [
        ['dev-0001', 1, 'succeeded', 'converged'],
        ['dev-0002', 2, 'succeeded', undefined],
      ],
    );
  });

  it('ends with every device at its latest attempt when writers of attempts 1 to 4 race', async () => {
    const store = await newStore();
    const devices = Array.from({ length: 120 }, (_, i) => i);
    const writers = [4, 1, 3, 2, 1, 4, 2, 3].map((attempt) =>
      store.record(
        rolloutId,
        devices.map((i) => result(i, attempt, attempt === 4 ? 'succeeded' : 'timedOut')),
      ),
    );
    await Promise.all(writers);
    const { rows } = await listAll(store);
    assert.equal(rows.length, 120);
    assert.deepEqual(
      new Set(rows.map((row) => `${row.attempt}/${row.outcome}`)),
      new Set(['4/succeeded']),
    );
  });

  it('filters by outcome and pages the filtered rows', async () => {
    const store = await newStore();
    const outcomes: DeviceOutcome[] = ['succeeded', 'failed', 'offline'];
    await store.record(
      rolloutId,
      Array.from({ length: 90 }, (_, i) => result(i, 1, outcomes[i % 3] ?? 'succeeded')),
    );
    const { rows, pages } = await listAll(store, 'failed');
    assert.equal(rows.length, 30);
    assert.equal(pages, 1);
    assert.ok(rows.every((row) => row.outcome === 'failed'));
    assert.deepEqual(await store.countByOutcome(rolloutId), {
      succeeded: 30,
      failed: 30,
      offline: 30,
    });
  });

  it('keeps rollouts apart and refuses a malformed continuation token', async () => {
    const store = await newStore();
    await store.record(rolloutId, [result(1, 1, 'succeeded')]);
    await store.record('other', [{ ...result(2, 1, 'failed'), jobId: 'other-w1-c1-a1' }]);
    const page = await store.list('other', {}, { pageSize: 10 });
    assert.deepEqual(
      page.items.map((row) => [row.rolloutId, row.deviceId]),
      [['other', 'dev-0002']],
    );
    await assert.rejects(
      store.list(rolloutId, {}, { pageSize: 10, continuationToken: 'not-a-token' }),
      /continuationToken/,
    );
  });
});
