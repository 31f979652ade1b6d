import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { Sleep } from '../../src/core/budgetWait';
import { TableHubBudget, type TableHubBudgetOptions } from '../../src/storage/TableHubBudget';
import { ledgerRowKey } from '../../src/storage/hubBudgetRow';
import { ManualClock } from '../jobs/support/inMemoryStores';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

const windowMs = 5000;
/** Conflict retries yield to the event loop but leave the clock, so windows stay where tests put them. */
const yieldOnly: Sleep = () => new Promise((resolve) => setImmediate(resolve));

/** Calls booked in the row's ledger, over every window it still holds. */
async function booked(client: TableClient): Promise<number> {
  const row = await client.getEntity<{ windows: string }>('jobsOperations', ledgerRowKey);
  const windows = JSON.parse(row.windows) as [number, number, number][];
  return windows.reduce((total, [, , granted]) => total + granted, 0);
}

async function grantedCalls(budget: TableHubBudget, takes: number, count = 1): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: takes }, () => budget.take('jobsOperations', { count, maxWaitMs: 1000 })),
  );
  return answers.filter(Boolean).length * count;
}

describe('TableHubBudget', () => {
  const clients = useAzuriteStorage();

  /** A fresh budget table; each instance made on it gets a Table client of its own. */
  const sharedTable = async () => {
    const name = `${uniquePrefix()}hubbudget`;
    await clients().table(name);
    const instance = (
      options: Partial<TableHubBudgetOptions> & { clock: ManualClock },
      wrap: (client: TableClient) => TableClient = (client) => client,
    ) => {
      const client = wrap(clients().tableClient(name));
      return new TableHubBudget(() => Promise.resolve(client), {
        limits: { jobsOperations: 50, queries: 50 },
        windowMs,
        claimSize: 4,
        retryMs: 10,
        sleep: yieldOnly,
        ...options,
      });
    };
    return { instance, row: clients().tableClient(name) };
  };

  describe('across two instances', () => {
    it('grants exactly the limit to many concurrent takes from both, never more', async () => {
      const { instance, row } = await sharedTable();
      const clock = new ManualClock();
      const [a, b] = [instance({ clock }), instance({ clock })];
      const [fromA, fromB] = await Promise.all([grantedCalls(a, 80), grantedCalls(b, 80)]);
      assert.equal(fromA + fromB, 50);
      assert.equal(await booked(row), 50);
    });

    it('holds the limit in every minute over several, whatever window the takes fall in', async () => {
      const { instance } = await sharedTable();
      const clock = new ManualClock();
      const [a, b] = [instance({ clock }), instance({ clock })];
      for (let minute = 0; minute < 3; minute++) {
        const burst = await Promise.all([grantedCalls(a, 40), grantedCalls(b, 40)]);
        assert.equal(burst[0] + burst[1], 50, `minute ${minute}: the whole limit`);
        clock.advanceSeconds(windowMs / 1000);
        const next = await Promise.all([grantedCalls(a, 10), grantedCalls(b, 10)]);
        assert.equal(next[0] + next[1], 0, `minute ${minute}: the next window is still in it`);
        clock.advanceSeconds(60);
      }
    });

    it('loses no more to takes of several calls than what the instances hold unspent', async () => {
      const { instance, row } = await sharedTable();
      const clock = new ManualClock();
      const count = 3;
      const [a, b] = [instance({ clock, claimSize: 5 }), instance({ clock, claimSize: 5 })];
      const calls = await Promise.all([grantedCalls(a, 30, count), grantedCalls(b, 30, count)]);
      const granted = calls[0] + calls[1];
      assert.ok((await booked(row)) <= 50);
      // Each instance may hold up to count - 1 calls it cannot use; the row as many unclaimed.
      assert.ok(granted <= 50 && granted >= 50 - 3 * (count - 1), `granted ${granted}`);
    });

    it('counts what an instance whose clock runs ahead booked in its later window', async () => {
      const { instance } = await sharedTable();
      const behind = new ManualClock();
      const ahead = new ManualClock(new Date(behind.now().getTime() + windowMs));
      assert.equal(await grantedCalls(instance({ clock: ahead }), 60), 50);
      assert.equal(await grantedCalls(instance({ clock: behind }), 5), 0);
    });

    it('loses at most one claim of an instance that stopped, for one minute', async () => {
      const { instance, row } = await sharedTable();
      const clock = new ManualClock();
      const claimSize = 10;
      const stopped = instance({ clock, claimSize });
      for (let call = 0; call < 20; call++)
        assert.equal(await stopped.take('jobsOperations'), true);
      const lost = (await booked(row)) - 20;
      assert.ok(lost >= 0 && lost < claimSize, `${lost} calls lapsed unspent`);
      const survivor = instance({ clock, claimSize: 1 });
      assert.equal(await grantedCalls(survivor, 60), 50 - 20 - lost);
      clock.advanceSeconds(65);
      assert.equal(await grantedCalls(survivor, 60), 50, 'the whole limit a minute later');
    });
  });

  describe('within one instance', () => {
    it('claims one call for a lone call, so sparse traffic leaves nothing unspent', async () => {
      const { instance, row } = await sharedTable();
      const clock = new ManualClock();
      const budget = instance({ clock, claimSize: 5 });
      assert.equal(await budget.take('jobsOperations'), true);
      clock.advanceSeconds(30);
      assert.equal(await budget.take('jobsOperations'), true);
      assert.equal(await booked(row), 2);
    });

    it('claims larger batches as it hands out more, up to the claim size', async () => {
      const { instance, row } = await sharedTable();
      const writes: number[] = [];
      const budget = instance({ clock: new ManualClock(), claimSize: 5 }, (client) =>
        countingWrites(client, writes),
      );
      for (let call = 0; call < 20; call++) assert.equal(await budget.take('jobsOperations'), true);
      // Claims of 1, 1, 2, 4, then 5 each: 23 calls booked in 7 writes.
      assert.equal(writes.length, 7);
      assert.equal(await booked(row), 23);
      assert.equal(await budget.take('jobsOperations', { count: 9 }), true);
      assert.equal(await booked(row), 29, 'a take larger than a batch claims what it needs');
      const usage = await budget.usage();
      assert.deepEqual(usage.jobsOperations, { usedLastMinute: 29, limitPerMinute: 50 });
    });

    it('lets calls it did not spend lapse when their window ends', async () => {
      const { instance, row } = await sharedTable();
      const clock = new ManualClock();
      const budget = instance({ clock, claimSize: 5 });
      assert.equal(await grantedCalls(budget, 5), 5);
      const bookedInFirst = await booked(row);
      clock.advanceSeconds(windowMs / 1000);
      assert.equal(await budget.take('jobsOperations'), true);
      assert.equal(
        await booked(row),
        bookedInFirst + 5,
        "a new claim, sized by the last window's five",
      );
    });

    it('pauses retryMs after losing the row again and again, and gives up at its deadline', async () => {
      const { instance } = await sharedTable();
      const clock = new ManualClock();
      const sleeps: number[] = [];
      const sleep: Sleep = (ms) => {
        sleeps.push(ms);
        clock.advanceSeconds(ms / 1000);
        return Promise.resolve();
      };
      // Every write loses, as if another instance always wrote first.
      const budget = instance({ clock, retryMs: 50, sleep }, alwaysOutraced);
      assert.equal(await budget.take('jobsOperations', { maxWaitMs: 120 }), false);
      assert.deepEqual(sleeps, [50, 50]);
    });
  });
});

/** A Table client that records each write to the row. */
function countingWrites(client: TableClient, writes: number[]): TableClient {
  const createEntity: TableClient['createEntity'] = (...args) => {
    writes.push(writes.length);
    return client.createEntity(...args);
  };
  const updateEntity: TableClient['updateEntity'] = (...args) => {
    writes.push(writes.length);
    return client.updateEntity(...args);
  };
  return Object.assign(Object.create(client) as TableClient, { createEntity, updateEntity });
}

/** A Table client whose row is never there to read and whose every write finds it changed. */
function alwaysOutraced(client: TableClient): TableClient {
  const outraced = () => Promise.reject(Object.assign(new Error('outraced'), { statusCode: 412 }));
  const missing = () => Promise.reject(Object.assign(new Error('missing'), { statusCode: 404 }));
  return Object.assign(Object.create(client) as TableClient, {
    getEntity: missing,
    createEntity: outraced,
    updateEntity: outraced,
  });
}
