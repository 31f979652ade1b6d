import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { DeviceOutcome, DeviceResult } from '../jobs/job';
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
    attempt?: number,
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
  /**
   * Devices matching `queryCondition` counted per value of the twin property at `path`
   * (e.g. `tags.timeZone`), in one query: `SELECT <path> AS zone, COUNT() AS n FROM devices
   * WHERE <condition> GROUP BY <path>`. Values come back exactly as the hub returned them;
   * devices without the property are one entry with `value` undefined (when the hub lists them).
   */
  countByValue(queryCondition: string, path: string): Promise<{ value: unknown; count: number }[]>;
}

/**
 * A device's outcome in a rollout: a job's outcomes, plus `notConverged` for a verified twin
 * update whose reported properties did not match in time (it counts as failed).
 */
export type RolloutDeviceOutcome = DeviceOutcome | 'notConverged';

/**
 * Where a verified twin update stands for the device: `awaiting` (the hub wrote the patch; the
 * device counts as running), then `converged` (succeeded) or `notConverged`.
 */
export type Verification = 'awaiting' | 'converged' | 'notConverged';

/** A device's result in one chunk job, with the attempt that job was (from its id). */
export interface AttemptResult extends Omit<DeviceResult, 'outcome'> {
  outcome: RolloutDeviceOutcome;
  /** 1 for the first chunk job a device is in; a retry chunk's job id carries the next. */
  attempt: number;
  /** Set on a verified rollout's devices the hub wrote the patch to. */
  verification?: Verification;
}

/** What a verification round found for one device of an attempt. */
export interface VerifiedDevice {
  deviceId: string;
  jobId: string;
  attempt: number;
  verification: 'converged' | 'notConverged';
}

/**
 * One device of a rollout with its latest attempt. Attempts are numbered 1, 2, … and a device
 * never gets the same attempt twice, so `attempt` is also how many attempts it had.
 */
export interface RolloutDeviceResult extends AttemptResult {
  rolloutId: string;
}

/** The merged device results of a rollout: one row per device, its latest attempt (docs/storage.md). */
export interface RolloutDeviceResultStore {
  /**
   * Upserts each device's row unless the row holds a later attempt; an equal attempt is written
   * again. Safe when repeated or run concurrently: the later attempt wins whatever the order.
   */
  record(
    rolloutId: string,
    results: readonly AttemptResult[],
    options?: StorageCallOptions,
  ): Promise<void>;
  /**
   * Marks the devices' rows of that attempt converged (outcome `succeeded`) or `notConverged`,
   * keeping the rest of the row. The import writing the same attempt again never undoes it.
   */
  recordVerified(
    rolloutId: string,
    devices: readonly VerifiedDevice[],
    options?: StorageCallOptions,
  ): Promise<void>;
  /** In device-id order. */
  list(
    rolloutId: string,
    filter: { outcome?: RolloutDeviceOutcome },
    page: { pageSize: number; continuationToken?: string },
    options?: StorageCallOptions,
  ): Promise<Page<RolloutDeviceResult>>;
  /** Rows by latest outcome. Reads every row of the rollout (one request per 1,000): not for hot paths. */
  countByOutcome(
    rolloutId: string,
    options?: StorageCallOptions,
  ): Promise<Partial<Record<RolloutDeviceOutcome, number>>>;
}
