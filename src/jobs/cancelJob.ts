import { HubCallError } from '../core/hubCallError';
import { ConcurrencyError, ConflictError } from '../core/errors';
import { JobNotFoundError } from './jobErrors';
import type { StoredJob } from './job';
import { applyHubSnapshot, hasHubChanges, isTerminal } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import type { HubJobSnapshot } from './ports';
import { updateJobGuarded } from './updateJobGuarded';

/** Cancelling a job that has already ended. */
export class JobAlreadyEndedError extends ConflictError {
  constructor(
    readonly jobId: string,
    readonly status: string,
  ) {
    super(`Job ${jobId} has already ended with status ${status}; it cannot be cancelled.`);
  }
}

type CancelDeps = Pick<JobUseCaseDeps, 'jobStore' | 'hub' | 'clock'>;

export interface CancelResult {
  job: StoredJob;
  /**
   * `done`: cancelled before submission, or the hub answered the cancel. `recorded`: the hub
   * budget was spent, so the cancel is stored (`cancelRequested`) and the next poll sends it.
   */
  outcome: 'done' | 'recorded';
}

export const cancelRecordedMessage =
  "Cancel recorded: hubjobs' share of the hub's quota is spent for now; the next poll sends it.";

/** `requestCancel`, for callers that need only the job. */
export async function cancelJob(jobId: string, deps: CancelDeps): Promise<StoredJob> {
  return (await requestCancel(jobId, deps)).job;
}

/**
 * Cancels a job: before submission it simply never reaches the hub (a racing submit sees the
 * cancel and cancels what it created); once at the hub, the hub cancels it and its answer is
 * stored, or, without budget for the call, the cancel is recorded for the poller to send.
 */
export async function requestCancel(jobId: string, deps: CancelDeps): Promise<CancelResult> {
  const job = await deps.jobStore.get(jobId);
  if (job === undefined) throw new JobNotFoundError(jobId);
  if (isTerminal(job.status)) throw new JobAlreadyEndedError(jobId, job.status);
  if (job.status === 'accepted') {
    const result = await cancelBeforeSubmission(job, deps);
    if (result.status === 'cancelled' && result.submittedAt === undefined) {
      return { job: result, outcome: 'done' };
    }
    if (isTerminal(result.status)) throw new JobAlreadyEndedError(jobId, result.status);
    return cancelAtHub(result, deps);
  }
  return cancelAtHub(job, deps);
}

/** Returns the job as stored afterwards; it may have been submitted meanwhile. */
async function cancelBeforeSubmission(job: StoredJob, deps: CancelDeps): Promise<StoredJob> {
  const now = deps.clock.now().toISOString();
  const { job: stored } = await updateJobGuarded(deps.jobStore, job, (current) =>
    current.status === 'accepted'
      ? {
          ...current,
          status: 'cancelled',
          cancelRequested: true,
          statusMessage: 'Cancelled before it was submitted to the hub.',
          endedAt: now,
          updatedAt: now,
          resultsImport: { phase: 'done', imported: 0 },
        }
      : undefined,
  );
  return stored;
}

async function cancelAtHub(job: StoredJob, deps: CancelDeps): Promise<CancelResult> {
  let snapshot: HubJobSnapshot;
  try {
    snapshot = await hubCancel(job.jobId, deps);
  } catch (error) {
    if (error instanceof HubCallError && error.kind === 'overBudget') {
      return recordCancelForPoller(job, deps);
    }
    throw error;
  }
  const stored = await recordHubCancel(job, snapshot, deps);
  if (snapshot.status !== 'cancelled' && isTerminal(snapshot.status)) {
    throw new JobAlreadyEndedError(job.jobId, snapshot.status);
  }
  return { job: stored, outcome: 'done' };
}

/** Nothing reached the hub: the poller sends the cancel within its share (refreshHubJobs). */
async function recordCancelForPoller(job: StoredJob, deps: CancelDeps): Promise<CancelResult> {
  const now = deps.clock.now().toISOString();
  const { job: stored } = await updateJobGuarded(deps.jobStore, job, (current) =>
    isTerminal(current.status) || current.cancelRequested
      ? undefined
      : { ...current, cancelRequested: true, statusMessage: cancelRecordedMessage, updatedAt: now },
  );
  if (stored.status === 'cancelled') return { job: stored, outcome: 'done' };
  if (isTerminal(stored.status)) throw new JobAlreadyEndedError(job.jobId, stored.status);
  return { job: stored, outcome: 'recorded' };
}

/**
 * Stores the hub's answer unless a parallel cancel already stored as much. A cancel that still
 * loses the race finds the job cancelled (or cancelling) and answers with it: it did what it asked.
 */
async function recordHubCancel(
  job: StoredJob,
  snapshot: HubJobSnapshot,
  deps: CancelDeps,
): Promise<StoredJob> {
  const now = deps.clock.now();
  try {
    const { job: stored } = await updateJobGuarded(deps.jobStore, job, (current) => {
      const next = { ...applyHubSnapshot(current, snapshot, now), cancelRequested: true };
      return current.cancelRequested && !hasHubChanges(current, next) ? undefined : next;
    });
    return stored;
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    const latest = await deps.jobStore.get(job.jobId);
    if (latest !== undefined && (latest.status === 'cancelled' || latest.cancelRequested)) {
      return latest;
    }
    throw error;
  }
}

/** A job that finished at the hub before the cancel arrived: store how it really ended. */
async function hubCancel(jobId: string, deps: CancelDeps): Promise<HubJobSnapshot> {
  try {
    return await deps.hub.cancelJob(jobId);
  } catch (error) {
    if (error instanceof HubCallError && error.kind === 'preconditionFailed') {
      return deps.hub.getJob(jobId);
    }
    throw error;
  }
}
