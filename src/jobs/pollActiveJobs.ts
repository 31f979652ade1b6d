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
  /** The poll period (POLL_INTERVAL_SECONDS), to turn per-minute quotas into a per-tick budget. */
  pollIntervalSeconds: number;
  /** A due `accepted` job untouched this long gets a new queue message. */
  stalledAfterSeconds: number;
}

export interface PollReport {
  activeJobs: number;
  /** Jobs operations spent refreshing statuses. */
  hubJobCalls: number;
  ended: number;
  importQueries: number;
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

/**
 * One tick of the `pollJobs` timer (docs/architecture.md): refresh the jobs active at the hub, import the
 * results of finished ones within the query budget, and keep waiting jobs moving. It reads only
 * the active set, so its cost grows with active jobs, never with history. A failure on one job is
 * logged and the tick goes on with the others.
 */
export async function pollActiveJobs(
  deps: JobUseCaseDeps,
  options: PollOptions,
): Promise<PollReport> {
  const active = await deps.jobStore.listActive();
  const refresh = await refreshHubJobs(active, deps);
  const imports = await importDeviceResults(refresh.jobs, importQueryBudget(options), deps);
  const nudged = await nudgeDeferredJobs(refresh.jobs, refresh.ended, deps);
  const requeued = await requeueStalledJobs(refresh.jobs, options.stalledAfterSeconds, deps);
  const report: PollReport = {
    activeJobs: active.length,
    hubJobCalls: refresh.hubCalls,
    ended: refresh.ended,
    importQueries: imports.queries,
    importedResults: imports.results,
    nudged,
    requeued,
    failures: refresh.failures + imports.failures,
  };
  if (report.activeJobs > 0) deps.logger.info('pollJobs: tick done', { ...report });
  return report;
}
