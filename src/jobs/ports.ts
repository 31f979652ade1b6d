import type {
  DeviceJobStatistics,
  DeviceResult,
  Job,
  JobSpec,
  JobStatus,
  JobType,
  StoredJob,
} from './job';
import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';

/** The hub's view of one job, statuses already normalised. */
export interface HubJobSnapshot {
  jobId: string;
  type: JobType;
  status: Exclude<JobStatus, 'accepted' | 'rejected'>;
  statistics: DeviceJobStatistics;
  statusMessage?: string;
  failureReason?: string;
  createdTime?: string;
  startTime?: string;
  endTime?: string;
}

/** The IoT hub, as hubjobs uses it. Errors are thrown as `HubCallError` (src/hub/hubCallError.ts). */
export interface HubJobGateway {
  createJob(jobId: string, spec: JobSpec): Promise<HubJobSnapshot>;
  getJob(jobId: string): Promise<HubJobSnapshot>;
  cancelJob(jobId: string): Promise<HubJobSnapshot>;
  /** One page of the hub's jobs query, filtered by status (one call = one jobs operation). */
  queryJobs(
    filter: { status?: HubJobSnapshot['status']; type?: JobType },
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<HubJobSnapshot>>;
  /** One page of a job's `devices.jobs` records (one call = one hub query). */
  queryDeviceResults(
    jobId: string,
    filter: { failedOnly?: boolean; excludeFailed?: boolean },
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<DeviceResult>>;
  /** Cheap reachability check for /health. */
  ping(): Promise<void>;
}

export interface JobListFilter {
  status?: JobStatus;
  type?: JobType;
  createdAfter?: string;
  /** Only this rollout's chunk jobs; absent, only jobs that belong to no rollout. */
  rolloutId?: string;
}

/**
 * Where jobs are kept. Every write is guarded by the job's `revision`: a stale one throws
 * `ConcurrencyError`, so the caller re-reads and decides again (see `updateJobGuarded`). How a job
 * is laid out, listed and followed is the store's business (docs/storage.md).
 */
export interface JobStore {
  /**
   * Stores a new job: `get` finds it once this resolves. It is listed (by `list`, and by
   * `listActive` while active) with its first `update` or with `completeCreate`; should its
   * creator stop before either, `listActive` takes it over after a grace period. `job.jobId`
   * must be new (a fresh id, or one `get` just found free); an id in use by a job still active
   * throws `JobExistsError`.
   */
  createPending(job: Job, options?: StorageCallOptions): Promise<StoredJob>;
  get(jobId: string, options?: StorageCallOptions): Promise<StoredJob | undefined>;
  /** Records `job` (what the hub said, a cancel, import progress) over the revision it carries. */
  update(job: StoredJob, options?: StorageCallOptions): Promise<StoredJob>;
  /**
   * Makes a create whole: a job nothing has written since `createPending` is listed now; any
   * other is left as it is, without a request. Safe to repeat and to race; answers the job as
   * stored.
   */
  completeCreate(job: StoredJob, options?: StorageCallOptions): Promise<StoredJob>;
  /** Newest first. */
  list(
    filter: JobListFilter,
    page: { pageSize: number; continuationToken?: string },
    options?: StorageCallOptions,
  ): Promise<Page<StoredJob>>;
  /**
   * The poller's working set, oldest first: jobs not yet terminal, or terminal with device results
   * still to import (no `resultsImport`, or not `done`). A job still pending joins once its create
   * completes or, failing that, once the grace period is over.
   */
  listActive(options?: StorageCallOptions): Promise<StoredJob[]>;
}

export interface DeviceResultStore {
  /** Idempotent upserts in table transactions (≤ 100 entities, ≤ 4 MiB each). */
  upsert(results: DeviceResult[], options?: StorageCallOptions): Promise<void>;
  /** One job's results in device-id order. */
  list(
    jobId: string,
    filter: { status?: string },
    page: { pageSize: number; continuationToken?: string },
    options?: StorageCallOptions,
  ): Promise<Page<DeviceResult>>;
}

/** One job's hold on one of the hub's job slots, as the slot store lists it. */
export interface SlotHold {
  jobId: string;
  /** ISO-8601: when the hold was taken (or handed over). */
  claimedAt: string;
  /** Opaque outside the store: guards `release` and `transfer` against a hold that changed. */
  revision: string;
}

/**
 * Which jobs hold the hub's job slots, shared by every instance (docs/storage.md). A hold is taken
 * before a submit, so admission never sends a create into a full hub; the poller gives holds up
 * when their jobs end and repairs what a crashed instance left.
 */
export interface HubSlotStore {
  /**
   * Takes a free slot for `jobId` when fewer than `limit` are held: true when the job holds one
   * (now, or already), false when the hub is full.
   */
  claim(jobId: string, limit: number, options?: StorageCallOptions): Promise<boolean>;
  /** Every hold. */
  list(options?: StorageCallOptions): Promise<SlotHold[]>;
  /** Gives `hold` up; false when it changed since it was listed (it is not ours to free). */
  release(hold: SlotHold, options?: StorageCallOptions): Promise<boolean>;
  /**
   * Hands `hold`'s slot to `jobId` in one write, so no other claim slips in between; undefined
   * when the hold changed since it was listed.
   */
  transfer(
    hold: SlotHold,
    jobId: string,
    options?: StorageCallOptions,
  ): Promise<SlotHold | undefined>;
}
