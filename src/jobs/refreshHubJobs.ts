import { allPages } from '../core/page';
import { HubCallError } from '../core/hubCallError';
import type { StoredJob } from './job';
import {
  applyHubSnapshot,
  hubActiveStatuses,
  isHubActive,
  isTerminal,
  reachableHubActiveStatuses,
  type HubActiveStatus,
} from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { describeError } from '../core/logger';
import type { HubJobSnapshot } from './ports';
import { updateJobGuarded } from './updateJobGuarded';

type RefreshDeps = Pick<JobUseCaseDeps, 'jobStore' | 'hub' | 'clock' | 'logger'>;

export interface RefreshReport {
  /** Jobs as stored after the refresh (unchanged ones as they were). */
  jobs: StoredJob[];
  /** Jobs that reached a terminal status in this refresh. */
  ended: number;
  /** Jobs operations spent: query pages plus single-job reads. */
  hubCalls: number;
  failures: number;
}

const hubPageSize = 100;

/**
 * Brings the hub-active jobs up to date with as few jobs operations as possible: one jobs query
 * per status a stored job could still be in (100 jobs a page), then a `getJob` only for the jobs
 * the queries did not return, because they just left the active set.
 */
export async function refreshHubJobs(jobs: StoredJob[], deps: RefreshDeps): Promise<RefreshReport> {
  const report: RefreshReport = { jobs: [], ended: 0, hubCalls: 0, failures: 0 };
  const wanted = new Map(jobs.filter((job) => isHubActive(job.status)).map((j) => [j.jobId, j]));
  const statuses = statusesToQuery([...wanted.values()]);
  const snapshots = new Map<string, HubJobSnapshot>();
  let queriesComplete = true;
  if (wanted.size > statuses.length) {
    queriesComplete = await queryByStatus(statuses, wanted, snapshots, deps, report);
  }
  for (const job of jobs) {
    if (!wanted.has(job.jobId)) {
      report.jobs.push(job);
      continue;
    }
    report.jobs.push(
      await refreshOne(job, snapshots.get(job.jobId), queriesComplete, deps, report),
    );
  }
  return report;
}

function statusesToQuery(jobs: StoredJob[]): HubActiveStatus[] {
  const reachable = new Set(
    jobs.flatMap((job) => (isHubActive(job.status) ? reachableHubActiveStatuses(job.status) : [])),
  );
  // Most advanced first: a job moving on between two queries is then missed, never seen stale.
  return [...hubActiveStatuses].reverse().filter((status) => reachable.has(status));
}

/** Returns false when a query failed: the jobs it would have covered wait for the next tick. */
async function queryByStatus(
  statuses: HubActiveStatus[],
  wanted: Map<string, StoredJob>,
  snapshots: Map<string, HubJobSnapshot>,
  deps: RefreshDeps,
  report: RefreshReport,
): Promise<boolean> {
  for (const status of statuses) {
    if (snapshots.size === wanted.size) return true;
    const pages = allPages((continuationToken) =>
      deps.hub.queryJobs({ status }, { pageSize: hubPageSize, continuationToken }),
    );
    try {
      for await (const page of pages) {
        report.hubCalls++;
        for (const snapshot of page.items) {
          if (wanted.has(snapshot.jobId) && !snapshots.has(snapshot.jobId)) {
            snapshots.set(snapshot.jobId, snapshot);
          }
        }
        if (snapshots.size === wanted.size) return true;
      }
    } catch (error) {
      report.hubCalls++;
      report.failures++;
      deps.logger.warn('pollJobs: jobs query failed', { status, error: describeError(error) });
      return false;
    }
  }
  return true;
}

async function refreshOne(
  job: StoredJob,
  queried: HubJobSnapshot | undefined,
  queriesComplete: boolean,
  deps: RefreshDeps,
  report: RefreshReport,
): Promise<StoredJob> {
  if (queried === undefined && !queriesComplete) return job;
  try {
    const snapshot = queried ?? (await readSingleJob(job, deps, report));
    const stored = await persistSnapshot(job, snapshot, deps);
    if (!isTerminal(job.status) && isTerminal(stored.status)) report.ended++;
    return stored;
  } catch (error) {
    report.failures++;
    deps.logger.warn('pollJobs: could not refresh job', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return job;
  }
}

/** `undefined` stands for "the hub no longer knows this job". */
async function readSingleJob(
  job: StoredJob,
  deps: RefreshDeps,
  report: RefreshReport,
): Promise<HubJobSnapshot | undefined> {
  report.hubCalls++;
  try {
    return await deps.hub.getJob(job.jobId);
  } catch (error) {
    if (error instanceof HubCallError && error.kind === 'notFound') return undefined;
    throw error;
  }
}

async function persistSnapshot(
  job: StoredJob,
  snapshot: HubJobSnapshot | undefined,
  deps: RefreshDeps,
): Promise<StoredJob> {
  const now = deps.clock.now();
  // Written even when nothing changed: `lastPolledAt` tells readers how fresh the status is.
  // Such a write reaches only the job's own row: the list copy keeps the last change's times.
  const { job: stored } = await updateJobGuarded(deps.jobStore, job, (current) => ({
    ...(snapshot === undefined
      ? lostAtHub(current, now)
      : applyHubSnapshot(current, snapshot, now)),
    lastPolledAt: now.toISOString(),
  }));
  return stored;
}

/** The hub keeps jobs for 30 days and forgets them on a reset; nothing more will come. */
function lostAtHub(job: StoredJob, now: Date): StoredJob {
  if (isTerminal(job.status)) return job;
  return {
    ...job,
    status: 'failed',
    failureReason: 'The hub no longer knows this job.',
    endedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    resultsImport: { phase: 'done', imported: 0 },
  };
}
