import type { TableClient, TableEntity } from '@azure/data-tables';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { RolloutChunkStore } from '../rollouts/ports';
import type { PlannedChunk } from '../rollouts/rollout';
import { mapWithConcurrency } from './mapWithConcurrency';
import { rolloutIdPattern } from './rolloutEntity';
import { undefinedWhenNotFound } from './storageErrors';
import { toTransactionBatches } from './transactionBatches';

/** The hub's limit on a job's whole query, and so on a chunk's condition. */
const maxConditionChars = 8192;
const numberDigits = 7;
const maxNumber = 10 ** numberDigits - 1;

/**
 * `<wave>-<chunk>`, each zero-padded, so a rollout's chunks sort in plan order; a retry chunk adds
 * `-a<attempt>`.
 */
export function chunkRowKey(wave: number, chunk: number, attempt = 1): string {
  const key = `${String(wave).padStart(numberDigits, '0')}-${String(chunk).padStart(numberDigits, '0')}`;
  return attempt === 1 ? key : `${key}-a${String(attempt).padStart(2, '0')}`;
}

/**
 * A rollout's plan in `<prefix>rolloutchunks`: PK rollout id, one row per chunk (docs/storage.md).
 * Written with upserts in entity-group transactions, so repeating or racing a planning step
 * writes the same rows again.
 */
export class TableRolloutChunkStore implements RolloutChunkStore {
  constructor(
    private readonly table: () => Promise<TableClient>,
    private readonly options: { transactionConcurrency?: number } = {},
  ) {}

  async put(
    rolloutId: string,
    chunks: PlannedChunk[],
    options: StorageCallOptions = {},
  ): Promise<void> {
    if (!rolloutIdPattern.test(rolloutId)) throw new Error(`Not a rollout id: ${rolloutId}.`);
    if (chunks.length === 0) return;
    const client = await this.table();
    const batches = toTransactionBatches(chunks.map((chunk) => toChunkEntity(rolloutId, chunk)));
    await mapWithConcurrency(batches, this.options.transactionConcurrency ?? 4, async (batch) => {
      await client.submitTransaction(
        batch.map((entity) => ['upsert', entity, 'Replace']),
        options,
      );
    });
  }

  async get(
    rolloutId: string,
    wave: number,
    chunk: number,
    attempt = 1,
    options: StorageCallOptions = {},
  ): Promise<PlannedChunk | undefined> {
    if (!rolloutIdPattern.test(rolloutId) || !isChunkNumber(wave) || !isChunkNumber(chunk)) {
      return undefined;
    }
    const client = await this.table();
    const entity = await undefinedWhenNotFound(() =>
      client.getEntity<Record<string, unknown>>(
        rolloutId,
        chunkRowKey(wave, chunk, attempt),
        options,
      ),
    );
    return entity === undefined ? undefined : fromChunkEntity(entity);
  }
}

function toChunkEntity(rolloutId: string, chunk: PlannedChunk): TableEntity {
  if (!isChunkNumber(chunk.wave) || !isChunkNumber(chunk.chunk)) {
    throw new Error(`Chunk numbers must be whole numbers from 1 to ${maxNumber}.`);
  }
  if (chunk.queryCondition.length > maxConditionChars) {
    throw new Error(
      `Chunk ${chunk.wave}/${chunk.chunk}'s condition exceeds ${maxConditionChars} characters.`,
    );
  }
  return {
    partitionKey: rolloutId,
    rowKey: chunkRowKey(chunk.wave, chunk.chunk, chunk.attempt ?? 1),
    wave: chunk.wave,
    chunk: chunk.chunk,
    ...(chunk.attempt === undefined || chunk.attempt === 1 ? {} : { attempt: chunk.attempt }),
    queryCondition: chunk.queryCondition,
    ...(chunk.deviceCount === undefined ? {} : { deviceCount: chunk.deviceCount }),
  };
}

function fromChunkEntity(entity: Record<string, unknown>): PlannedChunk {
  const { wave, chunk, queryCondition, deviceCount, attempt } = entity;
  if (typeof wave !== 'number' || typeof chunk !== 'number' || typeof queryCondition !== 'string') {
    throw new Error(`Rollout chunk row ${String(entity.rowKey)} is incomplete.`);
  }
  return {
    wave,
    chunk,
    queryCondition,
    ...(typeof deviceCount === 'number' ? { deviceCount } : {}),
    ...(typeof attempt === 'number' ? { attempt } : {}),
  };
}

function isChunkNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= maxNumber;
}
