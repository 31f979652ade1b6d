import type { StoredJob } from './job';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { describeError } from '../core/logger';
import { enqueueSubmission, secondsUntilDue, submissionDueAtMs } from './scheduleSubmission';
import { admitJob } from './submitJob';
import { updateJobGuarded } from './updateJobGuarded';

/** Accepted jobs whose submission is due now, the longest waiting first. */
function dueWaitingJobs(jobs: StoredJob[], deps: Pick<JobUseCaseDeps, 'clock' | 'admission'>) {
  const now = deps.clock.now();
  return jobs
    .filter((job) => job.status === 'accepted' && !job.cancelRequested)
    .filter((job) => secondsUntilDue(job, now, deps.admission) <= 0)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * When jobs ended in this tick, their slots are free: try that many deferred jobs at once rather
 * than letting them sleep out their back-off. A refusal here records nothing and enqueues nothing,
 * so each job keeps exactly one chain of queue messages.
 */
export async function nudgeDeferredJobs(
  jobs: StoredJob[],
  freedSlots: number,
  deps: JobUseCaseDeps,
): Promise<number> {
  const deferred = dueWaitingJobs(jobs, deps).filter((job) => job.submitAttempts > 0);
  let nudged = 0;
  for (const job of deferred.slice(0, freedSlots)) {
    nudged++;
    try {
      const result = await admitJob(job, deps, { deferOnRefusal: false });
      deps.logger.info('pollJobs: tried a waiting job in a freed slot', {
        jobId: job.jobId,
        outcome: result.outcome,
      });
    } catch (error) {
      deps.logger.warn('pollJobs: could not try a waiting job', {
        jobId: job.jobId,
        error: describeError(error),
      });
    }
  }
  return nudged;
}

/**
 * Safety net for a lost queue message (say, the enqueue failed after the job was stored): a due
 * job that has not been touched for well over the longest back-off gets a new message.
 */
export async function requeueStalledJobs(
  jobs: StoredJob[],
  stalledAfterSeconds: number,
  deps: JobUseCaseDeps,
): Promise<number> {
  const now = deps.clock.now();
  let requeued = 0;
  for (const job of dueWaitingJobs(jobs, deps)) {
    const lastActivity = Math.max(
      Date.parse(job.updatedAt),
      submissionDueAtMs(job, deps.admission),
    );
    if (now.getTime() - lastActivity < stalledAfterSeconds * 1000) continue;
    try {
      const touched = await updateJobGuarded(deps.jobStore, job, (current) =>
        current.status === 'accepted' ? { ...current, updatedAt: now.toISOString() } : undefined,
      );
      if (!touched.written) continue;
      await enqueueSubmission(deps, job.jobId, 0);
      requeued++;
      deps.logger.warn('pollJobs: re-enqueued a waiting job whose message seemed lost', {
        jobId: job.jobId,
      });
    } catch (error) {
      deps.logger.warn('pollJobs: could not re-enqueue a waiting job', {
        jobId: job.jobId,
        error: describeError(error),
      });
    }
  }
  return requeued;
}
