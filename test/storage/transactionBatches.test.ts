import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableEntity } from '@azure/data-tables';
import {
  maxEntitiesPerTransaction,
  maxTransactionBytes,
  toTransactionBatches,
} from '../../src/storage/transactionBatches';

const row = (partitionKey: string, index: number, size = 10): TableEntity => ({
  partitionKey,
  rowKey: `r${String(index).padStart(5, '0')}`,
  data: 'x'.repeat(size),
});
const bytes = (batch: TableEntity[]): number =>
  batch.reduce((sum, entity) => sum + Buffer.byteLength(JSON.stringify(entity)), 0);

describe('toTransactionBatches', () => {
  it('puts at most 100 entities in a batch and loses none', () => {
    const batches = toTransactionBatches(Array.from({ length: 250 }, (_, i) => row('p', i)));
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [100, 100, 50],
    );
    assert.ok(batches.every((batch) => batch.length <= maxEntitiesPerTransaction));
  });

  it('keeps every batch under 4 MiB of serialised entities', () => {
    const entities = Array.from({ length: 40 }, (_, i) => row('p', i, 300_000));
    const batches = toTransactionBatches(entities);
    assert.ok(batches.length >= 3);
    for (const batch of batches) assert.ok(bytes(batch) < maxTransactionBytes);
    assert.equal(batches.flat().length, 40);
  });

  it('never mixes partitions in one batch', () => {
    const batches = toTransactionBatches([row('a', 1), row('b', 1), row('a', 2)]);
    assert.equal(batches.length, 2);
    for (const batch of batches) {
      assert.equal(new Set(batch.map((entity) => entity.partitionKey)).size, 1);
    }
  });

  it('writes a row once per batch, keeping the last version given', () => {
    const batches = toTransactionBatches([
      { ...row('a', 1), v: 1 },
      { ...row('a', 1), v: 2 },
    ]);
    assert.deepEqual(batches, [[{ ...row('a', 1), v: 2 }]]);
  });
});
