import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HubSlotStore } from '../../src/jobs/ports';
import { TableHubSlotStore } from '../../src/storage/TableHubSlotStore';
import { InMemorySlotStore } from '../jobs/support/inMemorySlotStore';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

const now = new Date('2030-01-01T00:00:00.000Z');
const clock = { now: () => now };
const holders = async (store: HubSlotStore) =>
  (await store.list()).map((hold) => hold.jobId).sort();

/** The promises every slot store keeps; the use-case tests run on the in-memory one. */
function describeSlotStoreContract(name: string, newStore: () => HubSlotStore) {
  describe(`${name} (slot store contract)`, () => {
    it('claims slots up to the limit, and says a job already holding one holds it', async () => {
      const store = newStore();
      assert.equal(await store.claim('a', 2), true);
      assert.equal(await store.claim('b', 2), true);
      assert.equal(await store.claim('c', 2), false);
      assert.equal(await store.claim('a', 2), true);
      assert.deepEqual(await holders(store), ['a', 'b']);
      const [hold] = await store.list();
      assert.equal(hold?.claimedAt, now.toISOString());
    });

    it('releases a hold only as it was listed', async () => {
      const store = newStore();
      await store.claim('a', 1);
      const [hold] = await store.list();
      const moved = await store.transfer(hold!, 'b');
      assert.equal(moved?.jobId, 'b');
      assert.equal(await store.release(hold!), false, 'the slot is b’s now');
      assert.deepEqual(await holders(store), ['b']);
      assert.equal(await store.release(moved), true);
      assert.deepEqual(await holders(store), []);
      assert.equal(await store.release(moved), false, 'already gone');
    });

    it('hands a slot over in place, refusing a hold that changed since it was listed', async () => {
      const store = newStore();
      await store.claim('a', 1);
      const [hold] = await store.list();
      assert.equal((await store.transfer(hold!, 'b'))?.jobId, 'b');
      assert.equal(await store.transfer(hold!, 'c'), undefined);
      assert.equal(await store.claim('d', 1), false, 'the hub stayed full throughout');
      assert.deepEqual(await holders(store), ['b']);
    });

    it('reuses a released slot', async () => {
      const store = newStore();
      await store.claim('a', 1);
      const [hold] = await store.list();
      await store.release(hold!);
      assert.equal(await store.claim('b', 1), true);
      assert.deepEqual(await holders(store), ['b']);
    });
  });
}

describeSlotStoreContract('InMemorySlotStore', () => new InMemorySlotStore(clock));

describe('TableHubSlotStore', () => {
  const clients = useAzuriteStorage();
  const newTable = () => {
    const name = `${uniquePrefix()}hubslots`;
    return () => clients().table(name);
  };
  const newStore = (table = newTable()) => new TableHubSlotStore(table, clock);

  describeSlotStoreContract('TableHubSlotStore', () => newStore());

  it('never grants more slots than the limit to claims racing from several instances', async () => {
    const table = newTable();
    const instances = Array.from({ length: 5 }, () => newStore(table));
    const jobIds = Array.from({ length: 15 }, (_, i) => `job-${i}`);
    const granted = await Promise.all(
      jobIds.map((jobId, i) => instances[i % instances.length]!.claim(jobId, 3)),
    );
    const holds = await instances[0]!.list();
    assert.equal(holds.length, 3);
    assert.equal(granted.filter(Boolean).length, 3, 'each grant is a slot row');
    for (const hold of holds) assert.equal(granted[jobIds.indexOf(hold.jobId)], true);
  });
});
