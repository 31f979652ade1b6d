import { importDeviceResults } from './importDeviceResults';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { refreshHubJobs } from './refreshHubJobs';
import { nudgeDeferredJobs, requeueStalledJobs } from './resumeWaitingJobs';

/** What shapes one poll tick; read from settings by the composition root. */
export interface PollOptions {
  /** The hub's whole query quota: the tier's per-unit rate times the units (S1: 20 a unit). */
  queriesPerMinute: number;
  /** Share of the query quota device-result imports may spend (IMPORT_QUERY_SHARE). */
  importQueryShare: number;
  /**
   * hubjobs' jobs operations a minute: its part of the hub's quota (docs/hub-budget.md). Default
   * `defaultJobsOperationsPerMinute(queriesPerMinute)`.
   */
  jobsOperationsPerMinute?: number;
  /** Part of those the poller's refresh may spend (default `defaultPollJobsOperationsShare`). */
  pollJobsOperationsShare?: number;
  /** The poll period (POLL_INTERVAL_SECONDS), to turn per-minute quotas into a per-tick budget. */
  pollIntervalSeconds: number;
  /** A due `accepted` job untouched this long gets a new queue message. */
  stalledAfterSeconds: number;
}

/**
 * Every tier allows five jobs operations for each query (S1: 100 and 20 a unit, S3: 5000 and
 * 1000), so the query quota gives the tier's jobs quota; hubjobs takes 0.8 of it, the default
 * HUB_QUOTA_SHARE. S1 with one unit: 80 a minute.
 */
export function defaultJobsOperationsPerMinute(queriesPerMinute: number): number {
  return queriesPerMinute * 5 * 0.8;
}
/** Half for the poller: the other half stays for creates and cancels, which people wait on. */
export const defaultPollJobsOperationsShare = 0.5;

export interface PollReport {
  activeJobs: number;
  /** Jobs operations spent refreshing statuses and sending recorded cancels. */
  hubJobCalls: number;
  /** The tick's share of jobs operations; `hubJobCalls` never exceeds it. */
  jobsOperationsShare: number;
  /** Cancels sent for jobs whose own cancel found no budget. */
  hubCancels: number;
  /** Hub-active jobs left for the next tick, mostly because the share was spent (see refreshHubJobs). */
  waitingForShare: number;
  ended: number;
  importQueries: number;
  /** The tick's share of device queries; `importQueries` never exceeds it. */
  queriesShare: number;
  importedResults: number;
  nudged: number;
  requeued: number;
  failures: number;
}

/** floor(queries/min (all units) × share × interval / 60), and at least one query a tick. */
export function importQueryBudget(options: PollOptions): number {
  const perTick =
    (options.queriesPerMinute * options.importQueryShare * options.pollIntervalSeconds) / 60;
  return Math.max(1, Math.floor(perTick));
}

/** floor(jobs operations/min × the poller's share × interval / 60), and at least one a tick. */
export function pollJobsOperationsBudget(options: PollOptions): number {
  const perMinute =
    options.jobsOperationsPerMinute ?? defaultJobsOperationsPerMinute(options.queriesPerMinute);
  const share = options.pollJobsOperationsShare ?? defaultPollJobsOperationsShare;
  return Math.max(1, Math.floor((perMinute * share * options.pollIntervalSeconds) / 60));
}

/**
 * One tick of the `pollJobs` timer (docs/architecture.md): refresh the jobs active at the hub
 * within the tick's share of jobs operations, import the results of finished ones within the
 * query share, and keep waiting jobs moving. It reads only the active set, so its cost grows with
 * what changed, never with history. A failure on one job is logged and the tick goes on.
 */
export async function pollActiveJobs(
  deps: JobUseCaseDeps,
  options: PollOptions,
): Promise<PollReport> {
  const active = await deps.jobStore.listActive();
  const jobsOperationsShare = pollJobsOperationsBudget(options);
  const queriesShare = importQueryBudget(options);
  const refresh = await refreshHubJobs(active, jobsOperationsShare, deps);
  const imports = await importDeviceResults(refresh.jobs, queriesShare, deps);
  const nudged = await nudgeDeferredJobs(refresh.jobs, refresh.ended, deps);
  const requeued = await requeueStalledJobs(refresh.jobs, options.stalledAfterSeconds, deps);
  const report: PollReport = {
    activeJobs: active.length,
    hubJobCalls: refresh.hubCalls,
    jobsOperationsShare,
    hubCancels: refresh.cancelsSent,
    waitingForShare: refresh.waiting,
    ended: refresh.ended,
    importQueries: imports.queries,
    queriesShare,
    importedResults: imports.results,
    nudged,
    requeued,
    failures: refresh.failures + imports.failures,
  };
  if (report.activeJobs > 0) {
    deps.logger.info('pollJobs: tick done', { ...report, quotaUsed: quotaUsed(report) });
  }
  return report;
}

/** "jobsOperations 7/10, queries 3/5": what the tick spent of each share. */
function quotaUsed(report: PollReport): string {
  return (
    `jobsOperations ${report.hubJobCalls}/${report.jobsOperationsShare}, ` +
    `queries ${report.importQueries}/${report.queriesShare}`
  );
}
