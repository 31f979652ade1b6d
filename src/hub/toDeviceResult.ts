import type { DeviceResult } from '../jobs/job';
import {
  deviceOutcome,
  normaliseDeviceJobStatus,
  type DeviceJobError,
} from '../jobs/statusMapping';
import { asRecord, readHubTime, readString, withDefinedFields, type JsonRecord } from './hubJson';

/** Maps one `devices.jobs` record; undefined when it names no device. */
export function toDeviceResult(raw: unknown, expectedJobId: string): DeviceResult | undefined {
  const record = asRecord(raw);
  const deviceId = record ? readString(record, 'deviceId') : undefined;
  if (!record || deviceId === undefined) return undefined;
  const status = normaliseDeviceJobStatus(readString(record, 'status') ?? 'unknown');
  const methodResponse = readMethodResponse(record);
  const error = readError(record);
  const result: DeviceResult = {
    jobId: readString(record, 'jobId') ?? expectedJobId,
    deviceId,
    status,
    outcome: deviceOutcome(status, error, methodResponse),
  };
  const optional: Partial<DeviceResult> = {
    startTimeUtc: readHubTime(record, 'startTimeUtc'),
    endTimeUtc: readHubTime(record, 'endTimeUtc'),
    lastUpdatedDateTimeUtc: readHubTime(record, 'lastUpdatedDateTimeUtc'),
    methodResponse,
    error,
  };
  return withDefinedFields(result, optional);
}

function readMethodResponse(record: JsonRecord): DeviceResult['methodResponse'] {
  const response = asRecord(asRecord(record['outcome'])?.['deviceMethodResponse']);
  const status = response?.['status'];
  if (!response || typeof status !== 'number') return undefined;
  return { status, payload: response['payload'] ?? null };
}

function readError(record: JsonRecord): DeviceJobError | undefined {
  const error = asRecord(record['error']);
  if (!error) return undefined;
  const rawCode = error['code'];
  const code = typeof rawCode === 'number' ? String(rawCode) : readString(error, 'code');
  if (code === undefined) return undefined;
  const description = readString(error, 'description');
  return description === undefined ? { code } : { code, description };
}
