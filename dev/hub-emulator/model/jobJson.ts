import type { JobType } from './jobRequest';
import type { DeviceJobError, DeviceJobStatistics, JobState, JobStatus } from './jobState';
import type { DeviceJobRecord } from './jobState';
import type { JsonObject, MethodResult } from './types';

/** What the hub returns for a job that has not ended (.NET's DateTime.MaxValue). */
export const OPEN_END_TIME = '9999-12-31T23:59:59.9999999';

/** The JobResponse of `PUT/GET /jobs/v2/{id}`, cancel and job queries (docs/iothub.md, The job resource and device records). */
export interface JobJson {
  jobId: string;
  queryCondition: string;
  createdTime: string;
  startTime: string;
  endTime: string;
  maxExecutionTimeInSeconds: number;
  type: JobType;
  status: JobStatus;
  cloudToDeviceMethod?: {
    methodName: string;
    payload: unknown;
    responseTimeoutInSeconds: number;
    connectTimeoutInSeconds: number;
  };
  updateTwin?: JsonObject;
  failureReason?: string;
  statusMessage?: string;
  deviceJobStatistics: DeviceJobStatistics;
}

/** A `devices.jobs` record (docs/iothub.md, The job resource and device records). */
export interface DeviceJobJson {
  deviceId: string;
  jobId: string;
  jobType: JobType;
  status: string;
  startTimeUtc: string;
  endTimeUtc: string;
  createdDateTimeUtc: string;
  lastUpdatedDateTimeUtc: string;
  outcome: { deviceMethodResponse: MethodResult | null };
  error?: DeviceJobError;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function toJobJson(job: JobState): JobJson {
  const { spec } = job;
  return {
    jobId: spec.jobId,
    queryCondition: spec.queryCondition,
    createdTime: iso(job.createdAt),
    startTime: iso(job.startAt),
    endTime: job.endAt === undefined ? OPEN_END_TIME : iso(job.endAt),
    maxExecutionTimeInSeconds: spec.maxExecutionTimeInSeconds,
    type: spec.type,
    status: job.status,
    ...(spec.method ? { cloudToDeviceMethod: structuredClone(spec.method) } : {}),
    ...(spec.twin ? { updateTwin: structuredClone(spec.twin.original) } : {}),
    ...(job.failureReason !== undefined ? { failureReason: job.failureReason } : {}),
    ...(job.statusMessage !== undefined ? { statusMessage: job.statusMessage } : {}),
    deviceJobStatistics: { ...job.stats },
  };
}

export function toDeviceJobJson(
  job: JobState,
  record: DeviceJobRecord,
  canceledSpelling: 'canceled' | 'cancelled',
): DeviceJobJson {
  return {
    deviceId: record.deviceId,
    jobId: job.spec.jobId,
    jobType: job.spec.type,
    status: record.status === 'canceled' ? canceledSpelling : record.status,
    startTimeUtc: iso(record.startedAt ?? job.startedAt ?? job.startAt),
    endTimeUtc: record.endedAt === undefined ? OPEN_END_TIME : iso(record.endedAt),
    createdDateTimeUtc: iso(record.createdAt),
    lastUpdatedDateTimeUtc: iso(record.updatedAt),
    outcome: { deviceMethodResponse: record.response ?? null },
    ...(record.error ? { error: { ...record.error } } : {}),
  };
}
