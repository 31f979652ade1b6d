import type { JobSpec } from '../jobs/job';
import type { HubJobSnapshot } from '../jobs/ports';
import type { HubCallError } from '../core/hubCallError';
import { readMethodName, readQueryCondition } from './toHubJobSnapshot';

/**
 * Whether the hub's job under our id is the one `spec` describes. Job ids are ours and
 * deterministic, so a match is our own earlier create, whose answer was lost.
 */
export function isSameJob(existing: HubJobSnapshot, jobStatus: unknown, spec: JobSpec): boolean {
  return (
    existing.type === spec.type &&
    readQueryCondition(jobStatus)?.trim() === spec.queryCondition.trim() &&
    (spec.type !== 'scheduleDeviceMethod' ||
      readMethodName(jobStatus) === undefined ||
      readMethodName(jobStatus) === spec.cloudToDeviceMethod?.methodName)
  );
}

/** 409104, or a bare 409 (a create has no other conflict); not 409103 DeviceJobAlreadyExists. */
export function isJobAlreadyExists(failure: HubCallError): boolean {
  if (failure.kind !== 'conflict') return false;
  const { code, codeName } = failure.details;
  if (code === undefined && codeName === undefined) return true;
  return code === 409104 || codeName?.toLowerCase() === 'jobalreadyexists';
}
