import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { PlannedChunk } from '../../src/rollouts/rollout';
import { chunkRowKey, TableRolloutChunkStore } from '../../src/storage/TableRolloutChunkStore';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

/** A chunk whose condition lists `ids` device ids, cut at the 8,192 characters the hub allows. */
function chunkOf(wave: number, chunk: number, ids = 140): PlannedChunk {
  const list = Array.from(
    { length: ids },
    (_, i) => `'w${wave}c${chunk}-device-${String(i).padStart(50, '0')}'`,
  );
  return {
    wave,
    chunk,
    queryCondition: `deviceId IN [${list.join(',')}]`.slice(0, 8192),
    deviceCount: ids,
  };
}

describe('TableRolloutChunkStore', () => {
  const clients = useAzuriteStorage();
  const fresh = async () => {
    const table = await clients().table(`${uniquePrefix()}rolloutchunks`);
    return { store: new TableRolloutChunkStore(() => Promise.resolve(table)), table };
  };
  const rowKeys = async (table: TableClient, rolloutId: string) => {
    const keys: string[] = [];
    const rows = table.listEntities({ queryOptions: { filter: `PartitionKey eq '${rolloutId}'` } });
    for await (const row of rows) keys.push(row.rowKey ?? '');
    return keys;
  };

  it('writes a plan of 250 chunks, of 8,192-character conditions, and reads each back', async () => {
    const { store, table } = await fresh();
    const plan = [
      ...Array.from({ length: 240 }, (_, i) => chunkOf(1, i + 1)),
      ...Array.from({ length: 10 }, (_, i) => chunkOf(2, i + 1)),
      { wave: 3, chunk: 1, queryCondition: "tags.ring = 'broad'" },
    ];
    assert.equal(plan[0]?.queryCondition.length, 8192);
    await store.put('r-1', plan);
    for (const chunk of [plan[0], plan[239], plan[240], plan[250]]) {
      assert.ok(chunk);
      assert.deepEqual(await store.get('r-1', chunk.wave, chunk.chunk), chunk);
    }
    const keys = await rowKeys(table, 'r-1');
    assert.equal(keys.length, plan.length);
    assert.deepEqual(
      keys,
      plan.map((c) => chunkRowKey(c.wave, c.chunk)),
      'rows in plan order',
    );
  });

  it('sorts chunk 10 after chunk 9 and wave 10 after wave 2', () => {
    const keys = [chunkRowKey(10, 1), chunkRowKey(2, 10), chunkRowKey(2, 9)];
    assert.deepEqual([...keys].sort(), [chunkRowKey(2, 9), chunkRowKey(2, 10), chunkRowKey(10, 1)]);
  });

  it('writes the same rows again when planning repeats or races, and nothing more', async () => {
    const { store, table } = await fresh();
    const plan = Array.from({ length: 150 }, (_, i) => chunkOf(1, i + 1, 3));
    await Promise.all([store.put('r-2', plan), store.put('r-2', plan)]);
    await store.put('r-2', plan);
    assert.equal((await rowKeys(table, 'r-2')).length, 150);
    assert.deepEqual(await store.get('r-2', 1, 150), plan[149]);
  });

  it('answers undefined for a chunk never planned, another rollout, or numbers out of range', async () => {
    const { store } = await fresh();
    await store.put('r-3', [chunkOf(1, 1, 2)]);
    assert.equal(await store.get('r-3', 1, 2), undefined);
    assert.equal(await store.get('r-4', 1, 1), undefined);
    assert.equal(await store.get('r-3', 0, 1), undefined);
    assert.equal(await store.get('bad/id', 1, 1), undefined);
  });

  it('refuses a condition over the hub limit or a chunk number it cannot sort', async () => {
    const { store } = await fresh();
    const long = { wave: 1, chunk: 1, queryCondition: 'x'.repeat(8193) };
    await assert.rejects(store.put('r-5', [long]), /exceeds 8192/);
    await assert.rejects(
      store.put('r-5', [{ ...long, queryCondition: 'a', chunk: 0 }]),
      /whole numbers/,
    );
    assert.equal(await store.get('r-5', 1, 1), undefined);
  });
});
