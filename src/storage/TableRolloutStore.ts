import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { Clock } from '../core/clock';
import { ConcurrencyError, ValidationError } from '../core/errors';
import { openContinuationToken, sealContinuationToken } from '../core/continuationToken';
import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { RolloutListFilter, RolloutStore } from '../rollouts/ports';
import type { Rollout, StoredRollout } from '../rollouts/rollout';
import { RolloutExistsError, RolloutNotFoundError } from '../rollouts/rolloutErrors';
import { mapWithConcurrency } from './mapWithConcurrency';
import { followRolloutMarker } from './rolloutMarkers';
import { readOnePage } from './readOnePage';
import {
  fromRolloutTruth,
  isTerminalStatus,
  rolloutActivePartition,
  rolloutIdPattern,
  rolloutRevisionOf,
  rolloutTruthRowKey,
  toRolloutTruthEntity,
  withRevision,
} from './rolloutEntity';
import { rolloutListFilter } from './rolloutListQuery';
import {
  ensureRolloutMarker,
  isActiveRollout,
  projectRollout,
  type RolloutTableClients,
} from './rolloutProjections';
import { classifyStorageError, undefinedWhenNotFound } from './storageErrors';

/** Where the store keeps rollouts: truth and index rows in `rollouts`, markers in `markers`. */
export interface RolloutTables {
  rollouts: () => Promise<TableClient>;
  markers: () => Promise<TableClient>;
}

export interface TableRolloutStoreOptions {
  clock?: Clock;
  /** A marker without its truth is left this long (default 10 minutes) to its create, then dropped. */
  createGraceMs?: number;
  /** Point reads in flight at once in `list` and `listActive`. */
  readConcurrency?: number;
}

type Row = TableEntityResult<Record<string, unknown>>;

/**
 * Rollouts over two tables, laid out like jobs (docs/storage.md): the truth alone in its partition,
 * guarded by its ETag; a small index row per rollout for newest-first listing, rewritten only when
 * the status changes; a marker per active rollout, so `listActive` never reads history. One write
 * records each step; the index and marker follow the truth and `listActive` repairs them:
 * - create inserts the marker first, so an active rollout always has one, then the truth, then
 *   the index row;
 * - an update rewrites the index (forward only in version) before it moves or deletes the marker,
 *   and a marker goes only once its truth is terminal, which no status ever leaves.
 */
export class TableRolloutStore implements RolloutStore {
  constructor(
    private readonly tables: RolloutTables,
    private readonly options: TableRolloutStoreOptions = {},
  ) {}

  async create(rollout: Rollout, options: StorageCallOptions = {}): Promise<StoredRollout> {
    if (!rolloutIdPattern.test(rollout.rolloutId)) {
      throw new ValidationError([{ field: 'rolloutId', message: 'is not a valid rollout id' }]);
    }
    const truth = toRolloutTruthEntity(rollout, 1, 1);
    const clients = await this.clients();
    if (isActiveRollout(rollout)) {
      await ensureRolloutMarker(clients.markers, rollout.rolloutId, options);
    }
    let etag: string;
    try {
      const written = await clients.rollouts.createEntity(truth, options);
      etag = requireEtag(written.etag);
    } catch (error) {
      if (classifyStorageError(error) === 'conflict')
        throw new RolloutExistsError(rollout.rolloutId);
      throw error;
    }
    // The marker stays bare: listActive records the version, off the create's path.
    await projectRollout(clients, rollout, 1, { ...options, fresh: true, markerLagging: true });
    return withRevision(rollout, { version: 1, listedVersion: 1, status: rollout.status, etag });
  }

  async get(
    rolloutId: string,
    options: StorageCallOptions = {},
  ): Promise<StoredRollout | undefined> {
    if (!rolloutIdPattern.test(rolloutId)) return undefined;
    const client = await this.tables.rollouts();
    const entity = await undefinedWhenNotFound(() =>
      client.getEntity<Record<string, unknown>>(rolloutId, rolloutTruthRowKey, options),
    );
    return entity === undefined ? undefined : fromRolloutTruth(entity).stored;
  }

  async update(rollout: StoredRollout, options: StorageCallOptions = {}): Promise<StoredRollout> {
    const token = rolloutRevisionOf(rollout);
    if (isTerminalStatus(token.status) && isActiveRollout(rollout)) {
      throw new ConcurrencyError(`Rollout ${rollout.rolloutId} has ended; it cannot run again.`);
    }
    const clients = await this.clients();
    const version = token.version + 1;
    const statusChanged = rollout.status !== token.status;
    const listedVersion = statusChanged ? version : token.listedVersion;
    const truth = toRolloutTruthEntity(rollout, version, listedVersion);
    let etag: string;
    try {
      const written = await clients.rollouts.updateEntity(truth, 'Replace', {
        ...options,
        etag: token.etag,
      });
      etag = requireEtag(written.etag);
    } catch (error) {
      const kind = classifyStorageError(error);
      if (kind === 'preconditionFailed') {
        throw new ConcurrencyError(`Rollout ${rollout.rolloutId} was changed by someone else.`);
      }
      if (kind === 'notFound') throw new RolloutNotFoundError(rollout.rolloutId);
      throw error;
    }
    if (statusChanged) await projectRollout(clients, rollout, version, options);
    return withRevision(rollout, { version, listedVersion, status: rollout.status, etag });
  }

  async list(
    filter: RolloutListFilter,
    page: { pageSize: number; continuationToken?: string },
    options: StorageCallOptions = {},
  ): Promise<Page<StoredRollout>> {
    const binding = { listing: 'rollouts', filter };
    const given = page.continuationToken;
    const inner = given === undefined ? undefined : openContinuationToken(given, binding);
    const client = await this.tables.rollouts();
    const { rows, continuationToken } = await readOnePage(
      client,
      rolloutListFilter(filter),
      { pageSize: page.pageSize, ...(inner === undefined ? {} : { continuationToken: inner }) },
      options,
    );
    const read = await mapWithConcurrency(rows, this.readConcurrency(), (row) =>
      this.get(String(row.rolloutId), options),
    );
    // An index row a step behind its truth: the truth decides what the filter lets through.
    const items = read.filter(
      (rollout): rollout is StoredRollout =>
        rollout !== undefined && (filter.status === undefined || rollout.status === filter.status),
    );
    return continuationToken === undefined
      ? { items }
      : { items, continuationToken: sealContinuationToken(continuationToken, binding) };
  }

  async listActive(options: StorageCallOptions = {}): Promise<StoredRollout[]> {
    const clients = await this.clients();
    const markers: Row[] = [];
    const query = clients.markers.listEntities<Record<string, unknown>>({
      ...options,
      queryOptions: { filter: odata`PartitionKey eq ${rolloutActivePartition}` },
    });
    for await (const marker of query) markers.push(marker);
    const followed = await mapWithConcurrency(markers, this.readConcurrency(), (marker) =>
      followRolloutMarker(clients, marker, this.isOldEnough(marker.timestamp), options),
    );
    return followed
      .filter((rollout): rollout is StoredRollout => rollout !== undefined)
      .sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.rolloutId.localeCompare(b.rolloutId),
      );
  }

  private async clients(): Promise<RolloutTableClients> {
    const [rollouts, markers] = await Promise.all([this.tables.rollouts(), this.tables.markers()]);
    return { rollouts, markers };
  }

  private readConcurrency(): number {
    return this.options.readConcurrency ?? 16;
  }

  private isOldEnough(timestamp: string | undefined): boolean {
    const writtenMs = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
    const nowMs = (this.options.clock?.now() ?? new Date()).getTime();
    return !Number.isNaN(writtenMs) && nowMs - writtenMs > (this.options.createGraceMs ?? 600_000);
  }
}

function requireEtag(etag: string | undefined): string {
  if (etag === undefined) throw new Error('Table Storage answered a write without an ETag.');
  return etag;
}
