import type { StoredJob } from './job';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { describeError } from '../core/logger';
import { enqueueSubmission, secondsUntilDue, submissionDueAtMs } from './scheduleSubmission';
import { reconcileHubSlots, takeSlot, type SlotPlan } from './reconcileHubSlots';
import { scheduleFollow } from './scheduleFollow';
import { admitJob } from './submitJob';
import { updateJobGuarded } from './updateJobGuarded';

/** Accepted jobs whose submission is due now, the one due longest first. */
function dueWaitingJobs(jobs: StoredJob[], deps: Pick<JobUseCaseDeps, 'clock' | 'admission'>) {
  const now = deps.clock.now();
  const dueSinceMs = (job: StoredJob) =>
    Math.max(Date.parse(job.createdAt), submissionDueAtMs(job, deps.admission));
  return jobs
    .filter((job) => job.status === 'accepted' && !job.cancelRequested)
    .filter((job) => secondsUntilDue(job, now, deps.admission) <= 0)
    .sort((a, b) => dueSinceMs(a) - dueSinceMs(b) || a.createdAt.localeCompare(b.createdAt));
}

/**
 * Fills the hub slots free after this tick's refresh with the waiting jobs due longest, in this
 * tick. The holds are first brought in line with the active set (`reconcileHubSlots`), so the
 * slots of jobs that just ended are handed straight to waiting ones. A refusal here records nothing
 * and enqueues nothing, so each job keeps exactly one chain of queue messages; it also ends the
 * filling, as the next job would be refused the same way. `_freedSlots` is no longer needed: the
 * slot store knows which slots are free.
 */
export async function nudgeDeferredJobs(
  jobs: StoredJob[],
  _freedSlots: number,
  deps: JobUseCaseDeps,
): Promise<number> {
  let plan: SlotPlan;
  try {
    plan = await reconcileHubSlots(jobs, deps);
  } catch (error) {
    deps.logger.warn('pollJobs: could not read the hub slots', { error: describeError(error) });
    return 0;
  }
  const waiting = dueWaitingJobs(jobs, deps).filter((job) => !plan.held.has(job.jobId));
  let nudged = 0;
  try {
    for (const job of waiting.slice(0, plan.free)) {
      if (!(await takeSlot(job.jobId, plan.stale, deps.admission.maxActiveJobs, deps))) break;
      nudged++;
      const outcome = await submitInFreedSlot(job, deps);
      if (outcome === 'deferred' || outcome === 'failed') break;
    }
    for (const hold of plan.stale) await deps.hubSlots.release(hold);
  } catch (error) {
    deps.logger.warn('pollJobs: could not update the hub slots', { error: describeError(error) });
  }
  return nudged;
}

async function submitInFreedSlot(job: StoredJob, deps: JobUseCaseDeps): Promise<string> {
  try {
    const result = await admitJob(job, deps, { deferOnRefusal: false, slotHeld: true });
    deps.logger.info('pollJobs: submitted a waiting job in a freed slot', {
      jobId: job.jobId,
      outcome: result.outcome,
    });
    // Others may wait behind it: its end is looked for when it is due, not at the next tick.
    if (result.outcome === 'submitted') await scheduleFollow(result.job, deps);
    return result.outcome;
  } catch (error) {
    deps.logger.warn('pollJobs: could not submit a waiting job', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return 'failed';
  }
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
