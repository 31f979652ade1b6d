import { HubCallError } from '../core/hubCallError';
import { describeError } from '../core/logger';
import type { StoredJob } from './job';
import { persistSnapshot, type RefreshDeps } from './persistSnapshot';
import type { HubJobSnapshot } from './ports';
import { isOverBudget, type TickShare } from './tickShare';

interface CancelReport {
  ended: number;
  cancelsSent: number;
  failures: number;
}

/**
 * Sends the cancels recorded while the hub budget was spent (`cancelRequested` on a job still
 * active at the hub), oldest first, one jobs operation each; the hub's answer refreshes the job,
 * so it needs no other call this tick. Cancelling twice is harmless, so a cancel whose answer
 * still shows the job active is simply sent again next tick.
 */
export async function carryOutCancels(
  jobs: StoredJob[],
  share: TickShare,
  deps: RefreshDeps,
  report: CancelReport,
): Promise<Map<string, StoredJob>> {
  const refreshed = new Map<string, StoredJob>();
  for (const job of jobs) {
    if (share.left === 0) break;
    try {
      const snapshot = await cancelAtHub(job.jobId, share, deps);
      if (snapshot === 'notSent') continue;
      report.cancelsSent++;
      const stored = await persistSnapshot(job, snapshot, deps, report);
      if (stored !== undefined) refreshed.set(job.jobId, stored);
    } catch (error) {
      report.failures++;
      deps.logger.warn('pollJobs: could not cancel job', {
        jobId: job.jobId,
        error: describeError(error),
      });
    }
  }
  return refreshed;
}

/** The hub's answer; a job that ended first is read for its true end when the share allows. */
async function cancelAtHub(
  jobId: string,
  share: TickShare,
  deps: RefreshDeps,
): Promise<HubJobSnapshot | undefined | 'notSent'> {
  try {
    return await share.spend(() => deps.hub.cancelJob(jobId));
  } catch (error) {
    if (isOverBudget(error)) return 'notSent';
    if (!(error instanceof HubCallError)) throw error;
    if (error.kind === 'notFound') return undefined;
    if (error.kind !== 'preconditionFailed' || share.left === 0) throw error;
    return await share.spend(() => deps.hub.getJob(jobId));
  }
}
