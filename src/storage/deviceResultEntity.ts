import type { TableEntity } from '@azure/data-tables';
import type { DeviceOutcome, DeviceResult } from '../jobs/job';
import { fromJsonProperties, toJsonProperties } from './chunkedJson';
import { encodeKey } from './tableKeys';

/**
 * One device's result: PK jobId, RK the encoded device id. Readable columns for the short
 * fields; the method response and error travel as (possibly split) JSON so nothing is truncated.
 */
export function toDeviceResultEntity(result: DeviceResult): TableEntity {
  return {
    partitionKey: result.jobId,
    rowKey: encodeKey(result.deviceId),
    deviceId: result.deviceId,
    status: result.status,
    outcome: result.outcome,
    ...optionalString('startTimeUtc', result.startTimeUtc),
    ...optionalString('endTimeUtc', result.endTimeUtc),
    ...optionalString('lastUpdatedDateTimeUtc', result.lastUpdatedDateTimeUtc),
    ...(result.methodResponse === undefined
      ? {}
      : {
          methodResponseStatus: result.methodResponse.status,
          ...toJsonProperties('methodResponse', result.methodResponse),
        }),
    ...(result.error === undefined
      ? {}
      : { errorCode: result.error.code, ...toJsonProperties('error', result.error) }),
  };
}

export function fromDeviceResultEntity(entity: Record<string, unknown>): DeviceResult {
  const methodResponse = fromJsonProperties(entity, 'methodResponse');
  const error = fromJsonProperties(entity, 'error');
  return {
    jobId: String(entity.partitionKey),
    deviceId: String(entity.deviceId),
    status: String(entity.status),
    outcome: String(entity.outcome) as DeviceOutcome,
    ...optionalString('startTimeUtc', entity.startTimeUtc),
    ...optionalString('endTimeUtc', entity.endTimeUtc),
    ...optionalString('lastUpdatedDateTimeUtc', entity.lastUpdatedDateTimeUtc),
    ...(methodResponse === undefined
      ? {}
      : { methodResponse: methodResponse as NonNullable<DeviceResult['methodResponse']> }),
    ...(error === undefined ? {} : { error: error as NonNullable<DeviceResult['error']> }),
  };
}

function optionalString(name: string, value: unknown): Record<string, string> {
  return typeof value === 'string' ? { [name]: value } : {};
}
