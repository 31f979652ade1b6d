import type { JobSpec } from './jobRequest';
import type { MethodResult } from './types';

export type JobStatus = 'queued' | 'scheduled' | 'running' | 'completed' | 'failed' | 'cancelled';
/** Device-level statuses; `canceled` is rendered in the spelling the options choose. */
export type DeviceJobStatus = 'pending' | 'running' | 'completed' | 'failed' | 'canceled';

export interface DeviceJobError {
  code: string;
  description: string;
}

/** One device's part in one job: the `devices.jobs` record. */
export interface DeviceJobRecord {
  readonly deviceId: string;
  status: DeviceJobStatus;
  createdAt: number;
  updatedAt: number;
  startedAt?: number;
  endedAt?: number;
  response?: MethodResult;
  error?: DeviceJobError;
}

export interface DeviceJobStatistics {
  deviceCount: number;
  failedCount: number;
  succeededCount: number;
  runningCount: number;
  pendingCount: number;
}

export interface JobState {
  readonly spec: JobSpec;
  /** Creation order; job queries and continuation tokens follow it. */
  readonly seq: number;
  readonly createdAt: number;
  readonly startAt: number;
  status: JobStatus;
  startedAt?: number;
  endAt?: number;
  failureReason?: string;
  statusMessage?: string;
  readonly stats: DeviceJobStatistics;
  /** Filled when the job starts running, in registration order of the devices. */
  devices: DeviceJobRecord[];
  /** Index of the next device to start; every record before it has started (or been stopped). */
  nextDevice: number;
  inFlight: number;
}

export const ACTIVE_STATUSES: ReadonlySet<JobStatus> = new Set(['queued', 'scheduled', 'running']);

export function isActive(job: JobState): boolean {
  return ACTIVE_STATUSES.has(job.status);
}

export function newJobState(spec: JobSpec, seq: number, now: number): JobState {
  return {
    spec,
    seq,
    createdAt: now,
    startAt: spec.startAt ?? now,
    status: 'queued',
    stats: { deviceCount: 0, failedCount: 0, succeededCount: 0, runningCount: 0, pendingCount: 0 },
    devices: [],
    nextDevice: 0,
    inFlight: 0,
  };
}
