import {
  odata,
  type TableClient,
  type TableEntity,
  type TransactionAction,
} from '@azure/data-tables';
import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type {
  AttemptResult,
  RolloutDeviceOutcome,
  RolloutDeviceResult,
  RolloutDeviceResultStore,
  VerifiedDevice,
} from '../rollouts/ports';
import { mapWithConcurrency } from './mapWithConcurrency';
import { readOnePage } from './readOnePage';
import { rolloutIdPattern } from './rolloutEntity';
import {
  fromRolloutDeviceEntity,
  precedenceOf,
  toRolloutDeviceEntity,
  toVerifiedEntity,
} from './rolloutDeviceEntity';
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
  precedence: number;
  etag: string;
}

/** An import's rows replace what they win over; a verdict changes only its own columns. */
type WriteMode = 'Replace' | 'Merge';

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
    await this.write(client, rolloutId, entities, 'Replace', options);
  }

  async recordVerified(
    rolloutId: string,
    devices: readonly VerifiedDevice[],
    options: StorageCallOptions = {},
  ): Promise<void> {
    checkRolloutId(rolloutId);
    if (devices.length === 0) return;
    const client = await this.table();
    const entities = devices.map((device) => toVerifiedEntity(rolloutId, device));
    await this.write(client, rolloutId, entities, 'Merge', options);
  }

  private async write(
    client: TableClient,
    rolloutId: string,
    entities: TableEntity[],
    mode: WriteMode,
    options: StorageCallOptions,
  ): Promise<void> {
    const batches = toTransactionBatches(entities);
    await mapWithConcurrency(batches, this.options.transactionConcurrency ?? 4, (batch) =>
      recordBatch(client, rolloutId, batch, mode, options),
    );
  }

  async list(
    rolloutId: string,
    filter: { outcome?: RolloutDeviceOutcome },
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
  ): Promise<Partial<Record<RolloutDeviceOutcome, number>>> {
    checkRolloutId(rolloutId);
    const client = await this.table();
    const counts: Partial<Record<RolloutDeviceOutcome, number>> = {};
    const rows = client.listEntities<{ outcome?: string }>({
      ...options,
      queryOptions: { filter: odata`PartitionKey eq ${rolloutId}`, select: ['outcome'] },
    });
    for await (const row of rows) {
      const outcome = String(row.outcome) as RolloutDeviceOutcome;
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
  mode: WriteMode,
  options: StorageCallOptions,
): Promise<void> {
  // A first attempt's import rows are nearly always new: try inserting them before reading.
  let guess: Map<string, StoredAttempt> | undefined =
    mode === 'Replace' && batch.every((e) => e.attempt === 1) ? new Map() : undefined;
  for (let round = 1; ; round++) {
    const stored = guess ?? (await readAttempts(client, rolloutId, batch, options));
    guess = undefined;
    const actions = writesFor(batch, stored, mode);
    if (actions.length === 0) return;
    try {
      await client.submitTransaction(actions, options);
      return;
    } catch (error) {
      if (round >= maxRounds || !lostRace(error)) throw error;
    }
  }
}

/**
 * Inserts the absent rows and writes over those it does not lose to (an earlier attempt, or the
 * same attempt without a verdict the entity lacks), each only if unchanged since read.
 */
function writesFor(
  batch: TableEntity[],
  stored: Map<string, StoredAttempt>,
  mode: WriteMode,
): TransactionAction[] {
  const actions: TransactionAction[] = [];
  for (const entity of batch) {
    const current = stored.get(entity.rowKey);
    if (current === undefined) actions.push(['create', entity]);
    else if (current.precedence <= precedenceOf(entity))
      actions.push(['update', entity, mode, { etag: current.etag }]);
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
      stored.set(rowKey, { precedence: precedenceOf(row), etag });
    }
  });
  return stored;
}

/** Another writer created or changed a row since it was read (409 on create, 412 on replace). */
function lostRace(error: unknown): boolean {
  const kind = classifyStorageError(error);
  return kind === 'conflict' || kind === 'preconditionFailed' || kind === 'notFound';
}
