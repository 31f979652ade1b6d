import { jobTypes, type DeviceJobStatistics, type JobType } from '../jobs/job';
import type { HubJobSnapshot } from '../jobs/ports';
import { normaliseJobStatus } from '../jobs/statusMapping';
import {
  asRecord,
  readCount,
  readHubTime,
  readString,
  withDefinedFields,
  type JsonRecord,
} from './hubJson';

/**
 * Maps a hub JobResponse to a snapshot; undefined when it is not a job hubjobs can run (no id, or
 * a type other than a method or twin job).
 */
export function toHubJobSnapshot(raw: unknown): HubJobSnapshot | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const jobId = readJobId(record);
  const type = readJobType(record);
  if (jobId === undefined || type === undefined) return undefined;
  const snapshot: HubJobSnapshot = {
    jobId,
    type,
    status: normaliseJobStatus(readString(record, 'status') ?? 'unknown'),
    statistics: readStatistics(record['deviceJobStatistics']),
  };
  const optional: Partial<HubJobSnapshot> = {
    statusMessage: readString(record, 'statusMessage'),
    failureReason: readString(record, 'failureReason'),
    createdTime: readHubTime(record, 'createdTime'),
    startTime: readHubTime(record, 'startTime'),
    endTime: readHubTime(record, 'endTime'),
  };
  return withDefinedFields(snapshot, optional);
}

/** The job's target condition as the hub stored it (not part of the snapshot). */
export function readQueryCondition(raw: unknown): string | undefined {
  const record = asRecord(raw);
  return record ? readString(record, 'queryCondition') : undefined;
}

/** The method name of a method job as the hub stored it. */
export function readMethodName(raw: unknown): string | undefined {
  const method = asRecord(asRecord(raw)?.['cloudToDeviceMethod']);
  return method ? readString(method, 'methodName') : undefined;
}

function readJobId(record: JsonRecord): string | undefined {
  const value = record['jobId'];
  if (typeof value === 'number') return String(value);
  return readString(record, 'jobId');
}

function readJobType(record: JsonRecord): JobType | undefined {
  const value = readString(record, 'type');
  return jobTypes.find((type) => type.toLowerCase() === value?.toLowerCase());
}

function readStatistics(raw: unknown): DeviceJobStatistics {
  const record = asRecord(raw) ?? {};
  return {
    deviceCount: readCount(record, 'deviceCount'),
    failedCount: readCount(record, 'failedCount'),
    succeededCount: readCount(record, 'succeededCount'),
    runningCount: readCount(record, 'runningCount'),
    pendingCount: readCount(record, 'pendingCount'),
    // Not in the hub's JobResponse today; read should it ever be.
    cancelledCount: readCount(record, 'cancelledCount'),
  };
}
