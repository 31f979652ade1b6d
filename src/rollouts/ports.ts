import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { PlannedChunk, RolloutStatus, StoredRollout, Rollout } from './rollout';

export interface RolloutListFilter {
  status?: RolloutStatus;
  createdAfter?: string;
}

/**
 * Where rollouts are kept. Every write is guarded by `revision`: a stale one throws
 * `ConcurrencyError` (src/core/errors.ts), so the caller re-reads and decides again.
 */
export interface RolloutStore {
  /** Stores a new rollout; an id already stored throws `RolloutExistsError`. */
  create(rollout: Rollout, options?: StorageCallOptions): Promise<StoredRollout>;
  get(rolloutId: string, options?: StorageCallOptions): Promise<StoredRollout | undefined>;
  update(rollout: StoredRollout, options?: StorageCallOptions): Promise<StoredRollout>;
  /** Newest first. */
  list(
    filter: RolloutListFilter,
    page: { pageSize: number; continuationToken?: string },
    options?: StorageCallOptions,
  ): Promise<Page<StoredRollout>>;
  /** Rollouts not yet terminal, oldest first: what the poller advances. */
  listActive(options?: StorageCallOptions): Promise<StoredRollout[]>;
}

/** A rollout's planned chunks, written once by planning (idempotent), read one at a time. */
export interface RolloutChunkStore {
  /** Upserts in table transactions; writing the same chunks again changes nothing. */
  put(rolloutId: string, chunks: PlannedChunk[], options?: StorageCallOptions): Promise<void>;
  get(
    rolloutId: string,
    wave: number,
    chunk: number,
    options?: StorageCallOptions,
  ): Promise<PlannedChunk | undefined>;
}

/** Why a producer's blob cannot be used; each is for good (a 5xx or a timeout is thrown instead). */
export type TargetBlobProblem =
  | { kind: 'notFound'; blob: string }
  | { kind: 'forbidden'; blob: string }
  | { kind: 'tooLarge'; blob: string; bytes: number; maxBytes: number };

/**
 * Device-id lists in blobs: the producer's (`<container>/<blob name>`, read only) and hubjobs' own
 * copy of a rollout's de-duplicated ids. No error quotes a blob's content.
 */
export interface DeviceIdBlobs {
  /** Writes hubjobs' own copy under `blobName`, one id per line (writing it again is harmless). */
  writeOwn(
    blobName: string,
    deviceIds: readonly string[],
    options?: StorageCallOptions,
  ): Promise<string>;
  readOwn(blobName: string, options?: StorageCallOptions): Promise<string[]>;
  /**
   * The producer's blob as text (the domain parses it), refused without downloading when it is
   * over `maxBytes`. A problem for good answers `{ problem }`; a 5xx or a timeout throws.
   */
  readProducer(
    reference: string,
    maxBytes: number,
    options?: StorageCallOptions,
  ): Promise<{ text: string } | { problem: TargetBlobProblem }>;
}

/** Device queries against the hub's registry, each page one query from the hub budget. */
export interface HubDeviceQuery {
  /** `SELECT COUNT() FROM devices WHERE <condition>`. */
  countDevices(queryCondition: string): Promise<number>;
  /** `SELECT deviceId FROM devices WHERE <condition>`, one page (up to 100 ids). */
  queryDeviceIds(
    queryCondition: string,
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<string>>;
}
