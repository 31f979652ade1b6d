import { HubCallError } from '../core/hubCallError';
import { assertHubJobId } from './hubJobId';

export interface DeviceJobsFilter {
  failedOnly?: boolean;
  excludeFailed?: boolean;
}

/** The `devices.jobs` query for one job's device records (docs/iothub.md, The job resource and device records). */
export function buildDeviceJobsQuery(jobId: string, filter: DeviceJobsFilter): string {
  assertHubJobId(jobId);
  if (filter.failedOnly && filter.excludeFailed) {
    throw new HubCallError('badRequest', 'failedOnly and excludeFailed exclude each other.');
  }
  const base = `SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`;
  if (filter.failedOnly) return `${base} AND devices.jobs.status = 'failed'`;
  if (filter.excludeFailed) return `${base} AND devices.jobs.status != 'failed'`;
  return base;
}
