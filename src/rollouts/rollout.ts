import type { CloudToDeviceMethod, DeviceJobStatistics, JobType, TwinUpdate } from '../jobs/job';

/**
 * A rollout: one operation over any number of devices, run as a sequence of waves, each wave as
 * ordinary hub jobs ("chunks") whose query fits the hub's 8,192-character limit (docs/rollouts.md).
 */
export const rolloutStatuses = [
  'accepted',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;
export type RolloutStatus = (typeof rolloutStatuses)[number];

export const terminalRolloutStatuses: ReadonlySet<RolloutStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
]);

/** What every device of the rollout gets: the same shapes and rules as a job's operation. */
export interface RolloutOperation {
  type: JobType;
  cloudToDeviceMethod?: CloudToDeviceMethod;
  updateTwin?: TwinUpdate;
}

/**
 * The targets as stored. Ids given inline are written to a blob of hubjobs' own at once, so a
 * stored rollout (and every queue message) only ever names them.
 */
export type RolloutTargets =
  | { kind: 'queryCondition'; queryCondition: string }
  /** De-duplicated ids, UTF-8, one per line, in hubjobs' rollout container. */
  | { kind: 'deviceIds'; blobName: string; deviceCount: number }
  /** The producer's blob (`<container>/<blob name>`), read and de-duplicated when planned. */
  | { kind: 'deviceIdsBlob'; deviceIdsBlob: string };

export type WavesSpec = { count: number } | { percent: number } | { groups: string[] };

/** Stop once this share or number of the finished devices failed, after `minFinishedDevices`. */
export interface FailureThreshold {
  percent?: number;
  count?: number;
  minFinishedDevices?: number;
  /** The failure classes that count; absent: every one the hub counts failed. */
  outcomes?: RetryOutcome[];
}

/** Failure classes a retry can take again. */
export const retryOutcomes = ['failed', 'offline', 'timedOut', 'notConverged'] as const;
export type RetryOutcome = (typeof retryOutcomes)[number];

/** Another attempt for the devices whose latest outcome is one of `outcomes`, up to `maxAttempts` in all. */
export interface RetrySpec {
  outcomes: RetryOutcome[];
  /** Attempts in all, the first included (2 to 10). */
  maxAttempts: number;
  /** Pause after an attempt's chunks ended before its retry chunks start. */
  delaySeconds: number;
}

/** Failed devices per class, `notConverged` included. */
export type RolloutFailureCounts = Partial<Record<RetryOutcome, number>>;

/**
 * Verified convergence for a twin rollout: a device counts as succeeded only once its reported
 * properties equal the desired ones written, and ends `notConverged` if they do not within this.
 */
export interface VerifySpec {
  reportedWithinSeconds: number;
}

export interface RolloutSpec {
  operation: RolloutOperation;
  targets: RolloutTargets;
  /** Absent: one wave. */
  waves?: WavesSpec;
  /** ISO-8601 UTC; absent means now. */
  startTime?: string;
  /** Per hub job. */
  maxExecutionTimeInSeconds: number;
  failureThreshold?: FailureThreshold;
  retry?: RetrySpec;
  /** Started by a schedule's window: no chunk starts after it closes (docs/schedules.md). */
  window?: { closesAt: string; endBehavior: 'stopLaunching' | 'cancelRunning'; scheduleId: string };
  verify?: VerifySpec;
}

export type WaveStatus = 'pending' | 'running' | 'completed' | 'cancelled';

export interface WaveState {
  /** 1-based. */
  index: number;
  status: WaveStatus;
  /** A group wave's own condition, AND-ed with the targets. */
  groupCondition?: string;
  /** Devices planned into the wave; unknown (absent) for a condition wave the hub resolves itself. */
  deviceCount?: number;
  /** The wave's current attempt: 1, then one more for each round of retry chunks (absent: 1). */
  attempt?: number;
  /** Chunk jobs the wave's current attempt is split into. */
  chunkCount: number;
  /** A retry round is planned: its chunks start at this instant (ISO-8601). */
  retryAt?: string;
  /** Devices the current retry round takes again (absent on the first attempt). */
  attemptDeviceCount?: number;
  /** Ids of the chunk jobs created so far, in chunk order. */
  jobIds: string[];
  /**
   * Those not yet seen ended, the only ones a step reads (absent: all of `jobIds`), so a step costs
   * the chunks in flight, not the wave's size.
   */
  openJobIds?: string[];
  /** Merged statistics of the chunks seen ended (absent: none). */
  endedStatistics?: DeviceJobStatistics;
  /**
   * Ended chunks whose failures are not imported yet, kept only when the failure threshold counts
   * chosen classes: their per-class counts join `failureCounts` once imported.
   */
  importingJobIds?: string[];
  /** Failed devices per class, latest outcome, from the imported results of ended chunks. */
  failureCounts?: RolloutFailureCounts;
  /** Ended chunks of a verified rollout whose devices are still being checked. */
  verifying?: VerifyingChunk[];
  /** What verifying the wave's chunks has cost and found so far. */
  verification?: WaveVerification;
  /** Merged over the wave's chunk jobs. */
  statistics: DeviceJobStatistics;
  startedAt?: string;
  endedAt?: string;
}

/**
 * An ended chunk of a verified rollout: the hub wrote the patch to `awaiting` devices, whose
 * reported properties are queried each round until they match or the deadline passes.
 */
export interface VerifyingChunk {
  jobId: string;
  /** ISO-8601: the chunk job's end plus `reportedWithinSeconds`. */
  deadline: string;
  /** ISO-8601: when the next round is due. */
  nextRoundAt: string;
  rounds: number;
  /** Devices not yet seen converged; before the first round, the hub's succeeded count. */
  awaiting: number;
  /** hubjobs' own blob listing those devices (absent before the first round). */
  awaitingBlob?: string;
}

export interface WaveVerification {
  /** Hub queries spent verifying (each page one query). */
  queries: number;
  rounds: number;
  /** Devices whose reported properties did not match by the deadline. */
  notConverged: number;
}

/** Resolving and splitting the targets into waves and chunks: resumable, stored with the rollout. */
export interface RolloutPlanProgress {
  state: 'pending' | 'resolving' | 'planned';
  /** Device ids resolved so far from a condition target (size waves only). */
  resolvedCount?: number;
  /** The hub query's continuation token while resolving. */
  continuationToken?: string;
  /** Hub query pages resolved so far. */
  resolvedPages?: number;
  /** hubjobs' own blobs holding the ids resolved so far, one per step, in order. */
  resolvedParts?: string[];
}

export interface Rollout {
  rolloutId: string;
  spec: RolloutSpec;
  /** Hash of the create request, so an idempotent PUT can tell "same" from "different". */
  requestHash: string;
  status: RolloutStatus;
  statusMessage?: string;
  /** Merged over every chunk job: each device counted once, by its latest outcome. */
  statistics: DeviceJobStatistics;
  plan: RolloutPlanProgress;
  waves: WaveState[];
  cancelRequested: boolean;
  /** A rerun: the rollout whose failed devices it takes again. */
  rerunOf?: string;
  /** Set while `paused`: when it was paused. */
  pausedAt?: string;
  /**
   * Every wave ended and these chunk jobs' device results are still being imported: the rollout
   * completes once they are in (absent: not looked at yet, or nothing left).
   */
  importingJobIds?: string[];
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  endedAt?: string;
}

/** A stored rollout with the store's concurrency token: opaque, only handed back to the store. */
export interface StoredRollout extends Rollout {
  revision: string;
}

/** One planned chunk: the condition its hub job runs and how many devices it names. */
export interface PlannedChunk {
  /** 1-based wave and chunk numbers. */
  wave: number;
  chunk: number;
  /** The attempt this chunk is (absent: the first); retry chunks are numbered from 1 again. */
  attempt?: number;
  queryCondition: string;
  /** Absent for a chunk whose condition the hub resolves (a condition or group wave). */
  deviceCount?: number;
}

/** Chunk jobs are ordinary jobs with this id: rollout, wave, chunk and attempt (≤ 64 characters). */
export function chunkJobId(rolloutId: string, wave: number, chunk: number, attempt = 1): string {
  return `${rolloutId}-w${wave}-c${chunk}-a${attempt}`;
}

/** What a chunk job's id says: its rollout, wave, chunk and attempt. */
export interface ChunkJobRef {
  rolloutId: string;
  wave: number;
  chunk: number;
  attempt: number;
}

// The rollout id may itself hold `-w1-c2-a3`: the anchored suffix takes the last one.
const chunkJobIdPattern =
  /^([A-Za-z0-9-]{1,40})-w([1-9][0-9]{0,6})-c([1-9][0-9]{0,6})-a([1-9][0-9]{0,6})$/;

/** The inverse of `chunkJobId`; undefined for an id no chunk job has. */
export function parseChunkJobId(jobId: string): ChunkJobRef | undefined {
  const match = chunkJobIdPattern.exec(jobId);
  if (match === null) return undefined;
  const [, rolloutId = '', wave, chunk, attempt] = match;
  return { rolloutId, wave: Number(wave), chunk: Number(chunk), attempt: Number(attempt) };
}
