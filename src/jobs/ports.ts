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
}

export interface CreateJobOptions {
  /**
   * Leave the job out of `list` until its first `update` or `ensureVisible`, either of which
   * lists it: the create path, which writes again at once, saves requests. The caller has made
   * sure the id is new (a fresh id, or `get` just before): the store checks it against finished
   * jobs only when it lists the job.
   */
  deferListing?: boolean;
}

/** Jobs in Table Storage. Updates are ETag-guarded: a stale etag throws `ConcurrencyError`. */
export interface JobStore {
  /**
   * Stores a new job; `get` sees it once this resolves, `list` and `listActive` too unless
   * `deferListing` (then once listed; `listActive` also after a grace period, should nothing list
   * it). Throws `JobExistsError` when the id is taken.
   */
  create(job: Job, options?: CreateJobOptions): Promise<StoredJob>;
  get(jobId: string): Promise<StoredJob | undefined>;
  /** Stores `job` over the version its etag names; the first update also lists a new job. */
  update(job: StoredJob): Promise<StoredJob>;
  /**
   * Makes sure `list` shows the job and, while it is active, `listActive` finds it: for a job no
   * update has listed yet, and to repair what an interrupted create left out. Safe to repeat.
   */
  ensureVisible(job: StoredJob): Promise<void>;
  /** Newest first. */
  list(
    filter: JobListFilter,
    page: { pageSize: number; continuationToken?: string },
  ): Promise<Page<StoredJob>>;
  /** Jobs not yet terminal, or terminal with results still to import: the poller's working set. */
  listActive(): Promise<StoredJob[]>;
}

export interface DeviceResultStore {
  /** Idempotent upserts in table transactions (≤ 100 entities, ≤ 4 MiB each). */
  upsert(results: DeviceResult[]): Promise<void>;
  list(
    jobId: string,
    filter: { status?: string },
    page: { pageSize: number; continuationToken?: string },
  ): Promise<Page<DeviceResult>>;
}
