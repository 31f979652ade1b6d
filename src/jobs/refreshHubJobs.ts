import { allPages } from '../core/page';
import { HubCallError } from '../core/hubCallError';
import type { StoredJob } from './job';
import {
  hubActiveStatuses,
  isHubActive,
  reachableHubActiveStatuses,
  type HubActiveStatus,
} from './jobLifecycle';
import { describeError } from '../core/logger';
import type { HubJobSnapshot } from './ports';
import { carryOutCancels } from './carryOutCancels';
import { persistSnapshot, type RefreshDeps } from './persistSnapshot';
import { isOverBudget, TickShare } from './tickShare';

export interface RefreshReport {
  /** Jobs as stored after the refresh (unchanged ones as they were). */
  jobs: StoredJob[];
  /** Jobs that reached a terminal status in this refresh. */
  ended: number;
  /** Jobs operations sent: query pages, single-job reads and cancels; never over the share. */
  hubCalls: number;
  /** Cancels sent for jobs whose own cancel request found no budget. */
  cancelsSent: number;
  /**
   * Hub-active jobs not refreshed in this tick, left for the next: the share or the hub budget ran
   * out, a jobs query failed, or their own call failed (counted in `failures` too).
   */
  waiting: number;
  failures: number;
}

const hubPageSize = 100;

/**
 * Brings the hub-active jobs up to date within `jobsOperations` calls, spending in proportion to
 * what changed: first the cancels recorded without budget, then one jobs query per status a stored job could
 * still be in (active statuses only: the hub's query has no time filter, so a terminal status
 * would page through 30 days of every tool's jobs), then one `getJob` per job the queries did not
 * return, because it ended. What the share does not cover waits for the next tick, the jobs read
 * longest ago first, so every job gets its turn.
 */
export async function refreshHubJobs(
  jobs: StoredJob[],
  jobsOperations: number,
  deps: RefreshDeps,
): Promise<RefreshReport> {
  const share = new TickShare(jobsOperations);
  const report: RefreshReport = {
    jobs: [],
    ended: 0,
    hubCalls: 0,
    cancelsSent: 0,
    waiting: 0,
    failures: 0,
  };
  const hubActive = jobs.filter((job) => isHubActive(job.status));
  const refreshed = await carryOutCancels(
    hubActive.filter((job) => job.cancelRequested),
    share,
    deps,
    report,
  );
  const toRefresh = hubActive.filter((job) => !job.cancelRequested);
  for (const [jobId, job] of await refreshStatuses(toRefresh, share, deps, report)) {
    refreshed.set(jobId, job);
  }
  report.jobs = jobs.map((job) => refreshed.get(job.jobId) ?? job);
  report.waiting = hubActive.filter((job) => !refreshed.has(job.jobId)).length;
  report.hubCalls = share.spent;
  return report;
}

/** The jobs refreshed, by id; the others wait for a later tick. */
async function refreshStatuses(
  jobs: StoredJob[],
  share: TickShare,
  deps: RefreshDeps,
  report: RefreshReport,
): Promise<Map<string, StoredJob>> {
  const refreshed = new Map<string, StoredJob>();
  const statuses = statusesToQuery(jobs);
  let unseen = leastRecentlyPolledFirst(jobs);
  // Queries pay when they cover more jobs than they cost, and leave a call for a job that ended.
  if (jobs.length > statuses.length && share.left > statuses.length) {
    const wanted = new Set(jobs.map((job) => job.jobId));
    const { snapshots, failed } = await queryByStatus(statuses, wanted, share, deps, report);
    for (const job of jobs) {
      const snapshot = snapshots.get(job.jobId);
      if (snapshot !== undefined) await refreshWith(job, snapshot, refreshed, deps, report);
    }
    // After a failed query the hub is struggling: the jobs it missed wait rather than cost more.
    unseen = failed ? [] : unseen.filter((job) => !snapshots.has(job.jobId));
  }
  for (const job of unseen) {
    if (share.left === 0) break;
    const read = await readSingleJob(job, share, deps, report);
    if (read !== 'notRead') await refreshWith(job, read.snapshot, refreshed, deps, report);
  }
  return refreshed;
}

function statusesToQuery(jobs: StoredJob[]): HubActiveStatus[] {
  const reachable = new Set(
    jobs.flatMap((job) => (isHubActive(job.status) ? reachableHubActiveStatuses(job.status) : [])),
  );
  // Most advanced first: a job moving on between two queries is then missed, never seen stale.
  return [...hubActiveStatuses].reverse().filter((status) => reachable.has(status));
}

/** Never read first, then by last read; a stable sort keeps the oldest job first among equals. */
function leastRecentlyPolledFirst(jobs: StoredJob[]): StoredJob[] {
  return [...jobs].sort((a, b) => (a.lastPolledAt ?? '').localeCompare(b.lastPolledAt ?? ''));
}

/**
 * The wanted jobs the queries returned. Pages stop one call short of the share, so a job that
 * ended can always be read; a query left unfinished for want of share leaves its jobs unseen.
 */
async function queryByStatus(
  statuses: HubActiveStatus[],
  wanted: Set<string>,
  share: TickShare,
  deps: RefreshDeps,
  report: RefreshReport,
): Promise<{ snapshots: Map<string, HubJobSnapshot>; failed: boolean }> {
  const snapshots = new Map<string, HubJobSnapshot>();
  const done = { snapshots, failed: false };
  for (const status of statuses) {
    const pages = allPages((continuationToken) =>
      share.spend(() =>
        deps.hub.queryJobs({ status }, { pageSize: hubPageSize, continuationToken }),
      ),
    );
    try {
      for await (const page of pages) {
        for (const snapshot of page.items) {
          if (wanted.has(snapshot.jobId) && !snapshots.has(snapshot.jobId)) {
            snapshots.set(snapshot.jobId, snapshot);
          }
        }
        if (snapshots.size === wanted.size || share.left <= 1) return done;
      }
    } catch (error) {
      if (isOverBudget(error)) return done;
      report.failures++;
      deps.logger.warn('pollJobs: jobs query failed', { status, error: describeError(error) });
      return { snapshots, failed: true };
    }
  }
  return done;
}

/** `snapshot: undefined` stands for "the hub no longer knows this job". */
async function readSingleJob(
  job: StoredJob,
  share: TickShare,
  deps: RefreshDeps,
  report: RefreshReport,
): Promise<{ snapshot: HubJobSnapshot | undefined } | 'notRead'> {
  try {
    return { snapshot: await share.spend(() => deps.hub.getJob(job.jobId)) };
  } catch (error) {
    if (error instanceof HubCallError && error.kind === 'notFound') return { snapshot: undefined };
    if (isOverBudget(error)) return 'notRead';
    report.failures++;
    deps.logger.warn('pollJobs: could not refresh job', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return 'notRead';
  }
}

async function refreshWith(
  job: StoredJob,
  snapshot: HubJobSnapshot | undefined,
  refreshed: Map<string, StoredJob>,
  deps: RefreshDeps,
  report: RefreshReport,
): Promise<void> {
  const stored = await persistSnapshot(job, snapshot, deps, report);
  if (stored !== undefined) refreshed.set(job.jobId, stored);
}
