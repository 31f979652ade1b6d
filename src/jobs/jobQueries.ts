import {
  InvalidContinuationTokenError,
  openContinuationToken,
  sealContinuationToken,
  type TokenBinding,
} from '../core/continuationToken';
import type { Page } from '../core/page';
import { JobNotFoundError } from './jobErrors';
import type { DeviceResult, StoredJob } from './job';
import type { DeviceResultStore, JobListFilter, JobStore } from './ports';

export async function getJob(jobId: string, deps: { jobStore: JobStore }): Promise<StoredJob> {
  const job = await deps.jobStore.get(jobId);
  if (job === undefined) throw new JobNotFoundError(jobId);
  return job;
}

export interface PageRequest {
  pageSize: number;
  /** As handed out with the previous page of the same listing. */
  continuationToken?: string;
}

/** Newest first, one page at a time; a token continues only the filter it was issued for. */
export function listJobs(
  filter: JobListFilter,
  page: PageRequest,
  deps: { jobStore: JobStore },
): Promise<Page<StoredJob>> {
  return boundPage({ listing: 'jobs', filter }, page, (storePage) =>
    deps.jobStore.list(filter, storePage),
  );
}

/** One page of a job's stored device results; an unknown job is a 404, not an empty list. */
export async function listDeviceResults(
  jobId: string,
  filter: { status?: string },
  page: PageRequest,
  deps: { jobStore: JobStore; deviceResultStore: DeviceResultStore },
): Promise<Page<DeviceResult>> {
  await getJob(jobId, deps);
  return boundPage({ listing: 'deviceResults', jobId, filter }, page, (storePage) =>
    deps.deviceResultStore.list(jobId, filter, storePage),
  );
}

/**
 * Reads a page with the store's own token taken out of the caller's, and seals the next one to
 * the same listing, so a forged or foreign token is a 400 before the store sees it.
 */
export async function boundPage<T>(
  binding: TokenBinding,
  page: PageRequest,
  read: (page: PageRequest) => Promise<Page<T>>,
): Promise<Page<T>> {
  const given = page.continuationToken;
  const inner = given === undefined ? undefined : openContinuationToken(given, binding);
  let result: Page<T>;
  try {
    result = await read({
      pageSize: page.pageSize,
      ...(inner === undefined ? {} : { continuationToken: inner }),
    });
  } catch (error) {
    // The hash is not a secret: a hand-built envelope can still carry a token the store cannot read.
    if (inner !== undefined && (error instanceof URIError || error instanceof SyntaxError)) {
      throw new InvalidContinuationTokenError('is not a token this service issued');
    }
    throw error;
  }
  const next = result.continuationToken;
  return next === undefined
    ? { items: result.items }
    : { items: result.items, continuationToken: sealContinuationToken(next, binding) };
}
