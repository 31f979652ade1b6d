import { describeError } from '../core/logger';
import type { StoredJob } from './job';
import { applyHubSnapshot, isTerminal } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import type { HubJobSnapshot } from './ports';
import { updateJobGuarded } from './updateJobGuarded';

export type RefreshDeps = Pick<JobUseCaseDeps, 'jobStore' | 'hub' | 'clock' | 'logger'>;

/**
 * Stores what the hub said (`undefined`: it no longer knows the job). Answers undefined, and
 * counts a failure, when the store could not be written: the job is refreshed again next tick.
 */
export async function persistSnapshot(
  job: StoredJob,
  snapshot: HubJobSnapshot | undefined,
  deps: RefreshDeps,
  report: { ended: number; failures: number },
): Promise<StoredJob | undefined> {
  const now = deps.clock.now();
  try {
    // Written even when nothing changed: `lastPolledAt` tells readers how fresh the status is.
    // Such a write reaches only the job's own row: the list copy keeps the last change's times.
    const { job: stored } = await updateJobGuarded(deps.jobStore, job, (current) => ({
      ...(snapshot === undefined
        ? lostAtHub(current, now)
        : applyHubSnapshot(current, snapshot, now)),
      lastPolledAt: now.toISOString(),
    }));
    if (!isTerminal(job.status) && isTerminal(stored.status)) report.ended++;
    return stored;
  } catch (error) {
    report.failures++;
    deps.logger.warn('pollJobs: could not store the refreshed job', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return undefined;
  }
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
