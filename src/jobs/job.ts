/** Job statuses: the hub's own, normalised (docs/iothub.md, Statuses), plus hubjobs' `accepted` and `rejected`. */
export const jobStatuses = [
  'accepted',
  'queued',
  'scheduled',
  'running',
  'completed',
  'failed',
  'cancelled',
  'rejected',
] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const terminalJobStatuses: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'rejected',
]);

export const jobTypes = ['scheduleDeviceMethod', 'scheduleUpdateTwin'] as const;
export type JobType = (typeof jobTypes)[number];

export interface CloudToDeviceMethod {
  methodName: string;
  payload?: unknown;
  responseTimeoutInSeconds?: number;
  connectTimeoutInSeconds?: number;
}

export interface TwinUpdate {
  etag?: string;
  tags?: Record<string, unknown>;
  properties?: { desired?: Record<string, unknown> };
}

/** What the hub is asked to run: the hub's job request, with targets already a query condition. */
export interface JobSpec {
  type: JobType;
  queryCondition: string;
  cloudToDeviceMethod?: CloudToDeviceMethod;
  updateTwin?: TwinUpdate;
  /** ISO-8601; absent means "now". */
  startTime?: string;
  maxExecutionTimeInSeconds: number;
}

export interface DeviceJobStatistics {
  deviceCount: number;
  failedCount: number;
  succeededCount: number;
  runningCount: number;
  pendingCount: number;
  /**
   * Devices the job never reached because it was cancelled. The hub reports none: counted from
   * the imported device results (docs/hub-limits.md). Absent on jobs stored before it existed.
   */
  cancelledCount?: number;
}

export const emptyStatistics: DeviceJobStatistics = {
  deviceCount: 0,
  failedCount: 0,
  succeededCount: 0,
  runningCount: 0,
  pendingCount: 0,
  cancelledCount: 0,
};

/** Progress of copying a finished job's device results into Table Storage (resumable). */
export interface ResultsImport {
  /**
   * `failed` rows are imported first, then the rest (`others`); `all`: every row page by page,
   * for a job the hub counted no failure in.
   */
  phase: 'failed' | 'others' | 'all' | 'done';
  continuationToken?: string;
  imported: number;
  /** Imported results whose outcome is `cancelled`; absent means none yet. */
  cancelled?: number;
  /** Imported results per failure class (absent: none yet, or imported before it was counted). */
  failures?: FailureCounts;
}

export const failureOutcomes = ['failed', 'timedOut', 'offline'] as const;
export type FailureOutcome = (typeof failureOutcomes)[number];
export type FailureCounts = Partial<Record<FailureOutcome, number>>;

/** A job as hubjobs stores it. The hub job id is the job id. */
export interface Job {
  jobId: string;
  spec: JobSpec;
  /** Hash of the create request, so an idempotent PUT can tell "same" from "different". */
  requestHash: string;
  status: JobStatus;
  statusMessage?: string;
  failureReason?: string;
  statistics: DeviceJobStatistics;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  endedAt?: string;
  lastPolledAt?: string;
  /** How many times submission to the hub was attempted and deferred. */
  submitAttempts: number;
  cancelRequested: boolean;
  resultsImport?: ResultsImport;
  /** Set on a rollout's chunk job: listed with its rollout, not among plain jobs. Never changes. */
  rolloutId?: string;
}

/** A stored job with the store's concurrency token: opaque, only ever handed back to the store. */
export interface StoredJob extends Job {
  revision: string;
}

export type DeviceOutcome =
  'pending' | 'running' | 'succeeded' | 'failed' | 'offline' | 'timedOut' | 'cancelled';

/** One device's outcome in one job (a `devices.jobs` record, normalised). */
export interface DeviceResult {
  jobId: string;
  deviceId: string;
  /** Normalised device-job status: pending, scheduled, running, completed, failed, cancelled. */
  status: string;
  outcome: DeviceOutcome;
  startTimeUtc?: string;
  endTimeUtc?: string;
  lastUpdatedDateTimeUtc?: string;
  methodResponse?: { status: number; payload: unknown };
  error?: { code: string; description?: string };
}
