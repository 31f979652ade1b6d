import { JobNotFoundError } from './jobErrors';
import type { DeviceResult, StoredJob } from './job';
import type { DeviceResultStore, JobListFilter, JobStore } from './ports';
import type { Page } from '../core/page';

export async function getJob(jobId: string, deps: { jobStore: JobStore }): Promise<StoredJob> {
  const job = await deps.jobStore.get(jobId);
  if (job === undefined) throw new JobNotFoundError(jobId);
  return job;
}

/** Newest first, one page at a time. */
export function listJobs(
  filter: JobListFilter,
  page: { pageSize: number; continuationToken?: string },
  deps: { jobStore: JobStore },
): Promise<Page<StoredJob>> {
  return deps.jobStore.list(filter, page);
}

/** One page of a job's stored device results; an unknown job is a 404, not an empty list. */
export async function listDeviceResults(
  jobId: string,
  filter: { status?: string },
  page: { pageSize: number; continuationToken?: string },
  deps: { jobStore: JobStore; deviceResultStore: DeviceResultStore },
): Promise<Page<DeviceResult>> {
  await getJob(jobId, deps);
  return deps.deviceResultStore.list(jobId, filter, page);
}
