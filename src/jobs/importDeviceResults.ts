import { HubCallError } from '../core/hubCallError';
import type { Page } from '../core/page';
import {
  failureOutcomes,
  type FailureCounts,
  type FailureOutcome,
  type DeviceJobStatistics,
  type DeviceResult,
  type ResultsImport,
  type StoredJob,
} from './job';
import { isTerminal, resultsImported } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { describeError } from '../core/logger';
import { updateJobGuarded } from './updateJobGuarded';

type ImportDeps = Pick<
  JobUseCaseDeps,
  'jobStore' | 'deviceResultStore' | 'hub' | 'clock' | 'logger' | 'resultsImported'
>;

export interface ImportReport {
  /** Hub queries spent (never more than the budget). */
  queries: number;
  /** Device results written (a page re-imported after a crash counts again). */
  results: number;
  /** Jobs whose import finished in this run. */
  completedJobs: number;
  failures: number;
}

/** `devices.jobs` pages hold at most 100 rows. */
const resultsPageSize = 100;

/**
 * How one query reads a job's results: failed devices, the others, all in one page (`whole`), or
 * all page by page (`all`, for a job the hub says nothing failed in).
 */
type ImportMode = 'failed' | 'others' | 'whole' | 'all';

/** The import phases that read pages, in the order a run serves them across jobs. */
type ReadingPhase = Exclude<ResultsImport['phase'], 'done'>;
const readingPhases: readonly ReadingPhase[] = ['failed', 'others', 'all'];

/**
 * Copies finished jobs' device results into Table Storage, spending at most `queryBudget` hub
 * queries. A job with no devices needs no query; one whose results fit in a page is read in one
 * unfiltered query; bigger ones have the failed devices of every job read first, then the rest,
 * except a job the hub counts no failure in, whose pages are read unfiltered (no query is spent
 * finding no failures; were the hub's count wrong, no result would be missed, only not first).
 * The continuation token is stored after every page, so the next run (or a restarted process)
 * resumes where this one stopped; re-importing a page is harmless because results are upserted.
 */
export async function importDeviceResults(
  jobs: StoredJob[],
  queryBudget: number,
  deps: ImportDeps,
): Promise<ImportReport> {
  const report: ImportReport = { queries: 0, results: 0, completedJobs: 0, failures: 0 };
  const pending = jobs
    .filter((job) => isTerminal(job.status) && !resultsImported(job))
    .sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''));
  for (const [index, job] of pending.entries()) {
    if (notStarted(job) && job.statistics.deviceCount === 0) {
      pending[index] = await completeEmpty(job, deps, report);
    }
  }
  for (const phase of readingPhases) {
    for (const [index, job] of pending.entries()) {
      if (report.queries >= queryBudget) return report;
      if (importPhase(job) !== phase) continue;
      const outcome = await importJobPhase(job, phase, queryBudget, deps, report);
      if (outcome === 'throttled') return report;
      pending[index] = outcome;
    }
  }
  return report;
}

function importPhase(job: StoredJob): ResultsImport['phase'] {
  const phase = job.resultsImport?.phase ?? 'failed';
  const noFailures = job.statistics.failedCount === 0;
  return phase === 'failed' && notStarted(job) && noFailures && !fitsOnePage(job) ? 'all' : phase;
}

function fitsOnePage(job: StoredJob): boolean {
  return job.statistics.deviceCount <= resultsPageSize;
}

/**
 * No page read yet: a job turning terminal is queued as failures first with nothing imported, and
 * every page read writes the `cancelled` counter.
 */
function notStarted(job: StoredJob): boolean {
  const progress = job.resultsImport;
  if (progress === undefined) return true;
  return progress.phase === 'failed' && progress.imported === 0 && progress.cancelled === undefined;
}

/** A fresh job whose results fit in one page: one unfiltered query reads them all. */
function modeOf(job: StoredJob, phase: ReadingPhase): ImportMode {
  return notStarted(job) && fitsOnePage(job) ? 'whole' : phase;
}

/** A job that reached no device has no results to read: done without a query. */
async function completeEmpty(
  job: StoredJob,
  deps: ImportDeps,
  report: ImportReport,
): Promise<StoredJob> {
  try {
    const done: ResultsImport = { phase: 'done', imported: 0, cancelled: 0 };
    const { job: stored } = await updateJobGuarded(deps.jobStore, job, (latest) => ({
      ...latest,
      resultsImport: done,
      statistics: finalStatistics(latest.statistics, done),
    }));
    report.completedJobs++;
    return stored;
  } catch (error) {
    report.failures++;
    deps.logger.warn('pollJobs: could not record an empty import', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return job;
  }
}

/** Imports pages of one phase of one job until the phase ends or the budget is spent. */
async function importJobPhase(
  job: StoredJob,
  phase: ReadingPhase,
  queryBudget: number,
  deps: ImportDeps,
  report: ImportReport,
): Promise<StoredJob | 'throttled'> {
  let current = job;
  try {
    while (importPhase(current) === phase && report.queries < queryBudget) {
      current = await importPage(current, modeOf(current, phase), deps, report);
    }
  } catch (error) {
    report.failures++;
    deps.logger.warn('pollJobs: device results import failed', {
      jobId: job.jobId,
      error: describeError(error),
    });
    if (
      error instanceof HubCallError &&
      (error.kind === 'throttled' || error.kind === 'overBudget')
    )
      return 'throttled';
  }
  return current;
}

const filters: Record<ImportMode, { failedOnly?: boolean; excludeFailed?: boolean }> = {
  failed: { failedOnly: true },
  others: { excludeFailed: true },
  whole: {},
  all: {},
};

async function importPage(
  job: StoredJob,
  mode: ImportMode,
  deps: ImportDeps,
  report: ImportReport,
): Promise<StoredJob> {
  const progress = job.resultsImport ?? { phase: 'failed', imported: 0 };
  report.queries++;
  const page = await deps.hub.queryDeviceResults(job.jobId, filters[mode], {
    pageSize: resultsPageSize,
    continuationToken: progress.continuationToken,
  });
  if (page.items.length > 0) {
    await deps.deviceResultStore.upsert(page.items);
    await deps.resultsImported?.(job, page.items);
  }
  report.results += page.items.length;
  const next = nextProgress(progress, mode, page);
  if (next.phase === 'done') report.completedJobs++;
  const { job: stored } = await updateJobGuarded(deps.jobStore, job, (latest) => ({
    ...latest,
    resultsImport: next,
    ...(next.phase === 'done' ? { statistics: finalStatistics(latest.statistics, next) } : {}),
  }));
  return stored;
}

function nextProgress(
  progress: ResultsImport,
  mode: ImportMode,
  page: Page<DeviceResult>,
): ResultsImport {
  // More results than the statistics promised: start over failures first, which the stored
  // format can resume (the rows already written are upserted again, harmlessly).
  if (mode === 'whole' && page.continuationToken !== undefined) {
    return { phase: 'failed', imported: 0, cancelled: 0 };
  }
  const cancelled = page.items.filter((result) => result.outcome === 'cancelled').length;
  const phase = page.continuationToken !== undefined ? mode : mode === 'failed' ? 'others' : 'done';
  const next: ResultsImport = {
    phase: phase === 'whole' ? 'done' : phase,
    imported: progress.imported + page.items.length,
    cancelled: (progress.cancelled ?? 0) + cancelled,
  };
  const failures = countFailures(progress.failures, page.items);
  if (failures !== undefined) next.failures = failures;
  if (page.continuationToken !== undefined) next.continuationToken = page.continuationToken;
  return next;
}

/** The failure classes counted so far plus this page's; undefined while there are none. */
function countFailures(
  counted: FailureCounts | undefined,
  results: readonly DeviceResult[],
): FailureCounts | undefined {
  const next: FailureCounts = { ...counted };
  let any = counted !== undefined;
  for (const result of results) {
    const outcome = result.outcome as FailureOutcome;
    if (!(failureOutcomes as readonly string[]).includes(outcome)) continue;
    next[outcome] = (next[outcome] ?? 0) + 1;
    any = true;
  }
  return any ? next : undefined;
}

/**
 * The hub's statistics once every result is in: the hub reports no cancelled devices, so they are
 * the results counted as cancelled, and pending is what neither the hub nor the results account
 * for. A hub that still counts cancelled devices as pending thus no longer counts them twice, and
 * deviceCount = succeeded + failed + cancelled + running + pending (docs/hub-limits.md).
 */
export function finalStatistics(
  hub: DeviceJobStatistics,
  progress: ResultsImport,
): DeviceJobStatistics {
  const cancelledCount = Math.max(hub.cancelledCount ?? 0, progress.cancelled ?? 0);
  const reached = hub.succeededCount + hub.failedCount + hub.runningCount + cancelledCount;
  const pendingCount = Math.max(0, hub.deviceCount - reached);
  return { ...hub, cancelledCount, pendingCount, deviceCount: reached + pendingCount };
}
