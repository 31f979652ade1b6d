import type { TableEntity } from '@azure/data-tables';

/** Service limits of one entity group transaction. */
export const maxEntitiesPerTransaction = 100;
export const maxTransactionBytes = 4 * 1024 * 1024;
/** Room for the multipart envelope and per-operation headers the JSON size does not count. */
const perEntityOverheadBytes = 1024;
const envelopeReserveBytes = 64 * 1024;

/**
 * Splits entities into batches the service accepts: one partition per batch, at most 100
 * entities, and a request body under 4 MiB measured on the serialised entities.
 */
export function toTransactionBatches(entities: readonly TableEntity[]): TableEntity[][] {
  const byPartition = new Map<string, Map<string, TableEntity>>();
  for (const entity of entities) {
    const partition = byPartition.get(entity.partitionKey) ?? new Map<string, TableEntity>();
    // One transaction may not touch a row twice; the last write for a row wins.
    partition.set(entity.rowKey, entity);
    byPartition.set(entity.partitionKey, partition);
  }
  const batches: TableEntity[][] = [];
  for (const partition of byPartition.values())
    batches.push(...splitPartition([...partition.values()]));
  return batches;
}

function splitPartition(entities: TableEntity[]): TableEntity[][] {
  const batches: TableEntity[][] = [];
  let current: TableEntity[] = [];
  let currentBytes = envelopeReserveBytes;
  for (const entity of entities) {
    const bytes = Buffer.byteLength(JSON.stringify(entity)) + perEntityOverheadBytes;
    const full =
      current.length === maxEntitiesPerTransaction || currentBytes + bytes > maxTransactionBytes;
    if (full && current.length > 0) {
      batches.push(current);
      current = [];
      currentBytes = envelopeReserveBytes;
    }
    current.push(entity);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
