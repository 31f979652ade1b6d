import { HubCallError } from '../core/hubCallError';
import type { StoredJob } from './job';
import { applyHubSnapshot } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { describeError } from '../core/logger';
import { redactSecrets } from '../core/redactSecrets';
import type { HubJobSnapshot } from './ports';
import { deferSubmission, enqueueSubmission, secondsUntilDue } from './scheduleSubmission';
import { releaseSlot } from './reconcileHubSlots';
import { updateJobGuarded } from './updateJobGuarded';

export type SubmitResult =
  /** The hub took the job; `job.status` is what the hub said (queued, scheduled, running…). */
  | { outcome: 'submitted'; job: StoredJob }
  /** Its start time is still far off: it waits as `accepted`, a delayed message will bring it back. */
  | { outcome: 'waitingForStartTime'; job: StoredJob; delaySeconds: number }
  /** The hub could not take it now (no free slot, throttled, unavailable): retried later. */
  | { outcome: 'deferred'; job: StoredJob; delaySeconds?: number }
  /** The hub refused the job for good; it is stored as `rejected` with the reason. */
  | { outcome: 'rejected'; job: StoredJob }
  /** Nothing to do: the job is cancelled, or was submitted by an earlier delivery. */
  | { outcome: 'skipped'; job?: StoredJob }
  /** No job has this id: the message names a job that was never stored (docs/queue.md). */
  | { outcome: 'notFound'; job?: undefined };

/** The queue's `submitJob` work: re-reads the job, so a redelivered message is harmless. */
export async function submitJob(jobId: string, deps: JobUseCaseDeps): Promise<SubmitResult> {
  const job = await deps.jobStore.get(jobId);
  if (job === undefined) return { outcome: 'notFound' };
  return admitJob(job, deps);
}

export interface AdmitOptions {
  /**
   * When the hub cannot take the job now: record the attempt and enqueue the next one (default),
   * or leave everything as it is because another queue message is already on its way.
   */
  deferOnRefusal?: boolean;
  /** The caller already took a hub slot for this job (the poller filling freed slots). */
  slotHeld?: boolean;
  /** The caller just tried to take one and found the hub full (a create claims early). */
  slotRefused?: boolean;
}

/** What a job waiting for a hub slot says; the poller submits it when a slot frees. */
export const waitingForSlotMessage = 'Waiting for a free job slot at the hub.';

/** Submits an `accepted` job to the hub when it is due, or arranges for a later attempt. */
export async function admitJob(
  job: StoredJob,
  deps: JobUseCaseDeps,
  options: AdmitOptions = {},
): Promise<SubmitResult> {
  if (job.status !== 'accepted' || job.cancelRequested) {
    if (job.status === 'cancelled' && job.submittedAt === undefined) await cancelOrphan(job, deps);
    return { outcome: 'skipped', job };
  }
  const wait = secondsUntilDue(job, deps.clock.now(), deps.admission);
  if (wait > 0) {
    const delaySeconds = await enqueueSubmission(deps, job.jobId, wait);
    return { outcome: 'waitingForStartTime', job, delaySeconds };
  }
  const deferOnRefusal = options.deferOnRefusal ?? true;
  // Held before the create is sent, so no instance sends one into a full hub (docs/storage.md).
  const slotHeld =
    options.slotHeld === true ||
    (options.slotRefused !== true &&
      (await deps.hubSlots.claim(job.jobId, deps.admission.maxActiveJobs)));
  if (!slotHeld) return defer(job, deps, deferOnRefusal, waitingForSlotMessage);
  return submitToHub(job, deps, deferOnRefusal);
}

async function submitToHub(
  job: StoredJob,
  deps: JobUseCaseDeps,
  deferOnRefusal: boolean,
): Promise<SubmitResult> {
  let snapshot: HubJobSnapshot;
  try {
    snapshot = await deps.hub.createJob(job.jobId, job.spec);
  } catch (error) {
    if (!(error instanceof HubCallError)) throw error;
    if (!createMayHaveLanded(error)) await releaseSlot(job.jobId, deps);
    // The gateway adopts our own earlier job on 409; a conflict left means someone else's job.
    if (error.kind === 'badRequest' || error.kind === 'conflict') return reject(job, error, deps);
    deps.logger.warn('submitJob: the hub cannot take the job now', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return defer(job, deps, deferOnRefusal, deferralReason(error), error.details.retryAfterMs);
  }
  return recordSubmission(job, snapshot, deps);
}

async function defer(
  job: StoredJob,
  deps: JobUseCaseDeps,
  deferOnRefusal: boolean,
  reason: string,
  retryAfterMs?: number,
): Promise<SubmitResult> {
  if (!deferOnRefusal) return { outcome: 'deferred', job };
  const deferral = await deferSubmission(deps, job, reason, retryAfterMs);
  return { outcome: 'deferred', ...deferral };
}

/**
 * A timeout or a failure the gateway cannot name may hide a job the hub did create: its slot stays
 * held until the retry adopts the job, or the poller frees it after the claim grace.
 */
function createMayHaveLanded(error: HubCallError): boolean {
  return error.kind === 'transient' || error.kind === 'unknown';
}

function deferralReason(error: HubCallError): string {
  if (error.kind === 'maxActiveJobs') return waitingForSlotMessage;
  if (error.kind === 'overBudget') {
    return "Waiting for hubjobs' share of the hub's jobs operations; submission will be retried.";
  }
  if (error.kind === 'throttled')
    return 'The hub is throttling requests; submission will be retried.';
  return 'The hub could not be reached; submission will be retried.';
}

async function recordSubmission(
  job: StoredJob,
  snapshot: HubJobSnapshot,
  deps: JobUseCaseDeps,
): Promise<SubmitResult> {
  const now = deps.clock.now();
  const result = await updateJobGuarded(deps.jobStore, job, (current) =>
    current.status === 'accepted' && !current.cancelRequested
      ? {
          ...applyHubSnapshot(current, snapshot, now),
          statusMessage: snapshot.statusMessage,
          submittedAt: now.toISOString(),
        }
      : undefined,
  );
  if (result.written || result.job.status !== 'cancelled') {
    return { outcome: 'submitted', job: result.job };
  }
  // Cancelled while the hub was creating it: the cancel could not reach the hub, so do it here.
  await cancelCreatedJob(result.job, deps);
  return { outcome: 'skipped', job: result.job };
}

async function cancelCreatedJob(job: StoredJob, deps: JobUseCaseDeps): Promise<void> {
  const snapshot = await deps.hub.cancelJob(job.jobId);
  await updateJobGuarded(deps.jobStore, job, (current) => ({
    ...current,
    statistics: { ...snapshot.statistics },
    submittedAt: current.submittedAt ?? deps.clock.now().toISOString(),
    resultsImport: { phase: 'failed', imported: 0 },
  }));
}

/**
 * A submit message for a job cancelled before it was recorded as submitted: an earlier delivery may
 * have created the hub job and crashed before saying so. Cancelling at the hub is cheap and final.
 */
async function cancelOrphan(job: StoredJob, deps: JobUseCaseDeps): Promise<void> {
  try {
    await deps.hub.cancelJob(job.jobId);
    deps.logger.warn('submitJob: cancelled a hub job created before its cancel', {
      jobId: job.jobId,
    });
  } catch (error) {
    const harmless = ['notFound', 'conflict', 'preconditionFailed', 'badRequest'];
    if (!(error instanceof HubCallError) || !harmless.includes(error.kind)) throw error;
  }
}

async function reject(
  job: StoredJob,
  error: HubCallError,
  deps: JobUseCaseDeps,
): Promise<SubmitResult> {
  const now = deps.clock.now().toISOString();
  const { job: stored, written } = await updateJobGuarded(deps.jobStore, job, (current) =>
    current.status === 'accepted'
      ? {
          ...current,
          status: 'rejected',
          failureReason: redactSecrets(error.message),
          statusMessage: 'The hub refused the job.',
          endedAt: now,
          updatedAt: now,
          resultsImport: { phase: 'done', imported: 0 },
        }
      : undefined,
  );
  deps.logger.warn('submitJob: the hub refused the job', {
    jobId: job.jobId,
    error: describeError(error),
  });
  return written ? { outcome: 'rejected', job: stored } : { outcome: 'skipped', job: stored };
}
