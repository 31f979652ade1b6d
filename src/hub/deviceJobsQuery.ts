import { HubCallError } from './hubCallError';

export interface DeviceJobsFilter {
  failedOnly?: boolean;
  excludeFailed?: boolean;
}

/** The hub's job id rule; it also keeps anything but an id out of the query text. */
const jobIdPattern = /^[A-Za-z0-9-]{1,64}$/;

/** The `devices.jobs` query for one job's device records (contract doc §1.6). */
export function buildDeviceJobsQuery(jobId: string, filter: DeviceJobsFilter): string {
  if (!jobIdPattern.test(jobId)) {
    throw new HubCallError('badRequest', 'Job id must match ^[A-Za-z0-9-]{1,64}$.');
  }
  if (filter.failedOnly && filter.excludeFailed) {
    throw new HubCallError('badRequest', 'failedOnly and excludeFailed exclude each other.');
  }
  const base = `SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`;
  if (filter.failedOnly) return `${base} AND devices.jobs.status = 'failed'`;
  if (filter.excludeFailed) return `${base} AND devices.jobs.status != 'failed'`;
  return base;
}
