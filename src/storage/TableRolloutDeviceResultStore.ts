import {
  odata,
  type TableClient,
  type TableEntity,
  type TransactionAction,
} from '@azure/data-tables';
import type { DeviceOutcome } from '../jobs/job';
import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type {
  AttemptResult,
  RolloutDeviceResult,
  RolloutDeviceResultStore,
} from '../rollouts/ports';
import { mapWithConcurrency } from './mapWithConcurrency';
import { readOnePage } from './readOnePage';
import { rolloutIdPattern } from './rolloutEntity';
import { attemptOf, fromRolloutDeviceEntity, toRolloutDeviceEntity } from './rolloutDeviceEntity';
import { classifyStorageError } from './storageErrors';
import { toTransactionBatches } from './transactionBatches';

/** The service allows 15 comparisons in a filter: the partition key and 14 row keys. */
const rowKeysPerRead = 14;
/**
 * Each failed round means another writer's transaction landed, so N racing writers need at most
 * N rounds (plus the insert guess); beyond that the page fails and is imported again later.
 */
const maxRounds = 10;

interface StoredAttempt {
  attempt: number;
  etag: string;
}

/**
 * Merged device results in `<prefix>rolloutdevices`: PK rollout id, RK encoded device id, so a
 * rollout's devices list in device-id order. A write never replaces a later attempt: each batch
 * reads the rows it touches and writes them in one transaction guarded by their ETags; a writer
 * that lost a race reads again and decides again (docs/storage.md).
 */
export class TableRolloutDeviceResultStore implements RolloutDeviceResultStore {
  constructor(
    private readonly table: () => Promise<TableClient>,
    private readonly options: { transactionConcurrency?: number } = {},
  ) {}

  async record(
    rolloutId: string,
    results: readonly AttemptResult[],
    options: StorageCallOptions = {},
  ): Promise<void> {
    checkRolloutId(rolloutId);
    if (results.length === 0) return;
    const client = await this.table();
    const entities = latestPerDevice(results).map((r) => toRolloutDeviceEntity(rolloutId, r));
    const batches = toTransactionBatches(entities);
    await mapWithConcurrency(batches, this.options.transactionConcurrency ?? 4, (batch) =>
      recordBatch(client, rolloutId, batch, options),
    );
  }

  async list(
    rolloutId: string,
    filter: { outcome?: DeviceOutcome },
    page: { pageSize: number; continuationToken?: string },
    options: StorageCallOptions = {},
  ): Promise<Page<RolloutDeviceResult>> {
    checkRolloutId(rolloutId);
    const client = await this.table();
    const conditions = [odata`PartitionKey eq ${rolloutId}`];
    if (filter.outcome !== undefined) conditions.push(odata`outcome eq ${filter.outcome}`);
    const { rows, continuationToken } = await readOnePage(
      client,
      conditions.join(' and '),
      page,
      options,
    );
    const items = rows.map(fromRolloutDeviceEntity);
    return continuationToken === undefined ? { items } : { items, continuationToken };
  }

  async countByOutcome(
    rolloutId: string,
    options: StorageCallOptions = {},
  ): Promise<Partial<Record<DeviceOutcome, number>>> {
    checkRolloutId(rolloutId);
    const client = await this.table();
    const counts: Partial<Record<DeviceOutcome, number>> = {};
    const rows = client.listEntities<{ outcome?: string }>({
      ...options,
      queryOptions: { filter: odata`PartitionKey eq ${rolloutId}`, select: ['outcome'] },
    });
    for await (const row of rows) {
      const outcome = String(row.outcome) as DeviceOutcome;
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    return counts;
  }
}

function checkRolloutId(rolloutId: string): void {
  if (!rolloutIdPattern.test(rolloutId)) throw new Error(`Not a rollout id: ${rolloutId}.`);
}

/** One result per device, its highest attempt (a later one in the input wins a tie). */
function latestPerDevice(results: readonly AttemptResult[]): AttemptResult[] {
  const latest = new Map<string, AttemptResult>();
  for (const result of results) {
    const seen = latest.get(result.deviceId);
    if (seen === undefined || seen.attempt <= result.attempt) latest.set(result.deviceId, result);
  }
  return [...latest.values()];
}

async function recordBatch(
  client: TableClient,
  rolloutId: string,
  batch: TableEntity[],
  options: StorageCallOptions,
): Promise<void> {
  // A first attempt's rows are nearly always new: try inserting them before reading anything.
  let guess: Map<string, StoredAttempt> | undefined = batch.every((e) => e.attempt === 1)
    ? new Map()
    : undefined;
  for (let round = 1; ; round++) {
    const stored = guess ?? (await readAttempts(client, rolloutId, batch, options));
    guess = undefined;
    const actions = writesFor(batch, stored);
    if (actions.length === 0) return;
    try {
      await client.submitTransaction(actions, options);
      return;
    } catch (error) {
      if (round >= maxRounds || !lostRace(error)) throw error;
    }
  }
}

/** Inserts the absent rows, replaces those of an earlier or equal attempt if unchanged since read. */
function writesFor(batch: TableEntity[], stored: Map<string, StoredAttempt>): TransactionAction[] {
  const actions: TransactionAction[] = [];
  for (const entity of batch) {
    const current = stored.get(entity.rowKey);
    if (current === undefined) actions.push(['create', entity]);
    else if (current.attempt <= attemptOf(entity))
      actions.push(['update', entity, 'Replace', { etag: current.etag }]);
  }
  return actions;
}

async function readAttempts(
  client: TableClient,
  rolloutId: string,
  batch: TableEntity[],
  options: StorageCallOptions,
): Promise<Map<string, StoredAttempt>> {
  const groups: string[][] = [];
  for (let i = 0; i < batch.length; i += rowKeysPerRead) {
    groups.push(batch.slice(i, i + rowKeysPerRead).map((entity) => entity.rowKey));
  }
  const stored = new Map<string, StoredAttempt>();
  await mapWithConcurrency(groups, 2, async (rowKeys) => {
    const keys = rowKeys.map((rowKey) => odata`RowKey eq ${rowKey}`).join(' or ');
    const rows = client.listEntities<Record<string, unknown>>({
      ...options,
      queryOptions: { filter: `${odata`PartitionKey eq ${rolloutId}`} and (${keys})` },
    });
    for await (const row of rows) {
      const { rowKey, etag } = row;
      if (rowKey === undefined || etag === undefined)
        throw new Error('A row came back without keys.');
      stored.set(rowKey, { attempt: attemptOf(row), etag });
    }
  });
  return stored;
}

/** Another writer created or changed a row since it was read (409 on create, 412 on replace). */
function lostRace(error: unknown): boolean {
  const kind = classifyStorageError(error);
  return kind === 'conflict' || kind === 'preconditionFailed' || kind === 'notFound';
}
