import { randomUUID } from 'node:crypto';
import { ConflictError } from '../core/errors';
import { JobExistsError } from './jobErrors';
import type { JobSpec, StoredJob } from './job';
import { newAcceptedJob } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { describeError } from '../core/logger';
import { hashRequest } from '../core/requestHash';
import { enqueueSubmission, secondsUntilDue, withStartTimeWait } from './scheduleSubmission';
import { releaseSlot } from './reconcileHubSlots';
import { admitJob, type AdmitOptions, type SubmitResult } from './submitJob';

export interface CreateJobCommand {
  /** Already validated and normalised (targets turned into a query condition). */
  spec: JobSpec;
  /** PUT: the caller's id; POST: absent, the server picks one. */
  jobId?: string;
  mode: 'post' | 'put';
  /** A rollout's chunk: the job is linked to it (listed with it, not with plain jobs). */
  rolloutId?: string;
}

export interface CreateJobResult {
  job: StoredJob;
  /** False when an idempotent PUT found the same job already stored. */
  created: boolean;
  /** What admission did with a new job; absent for an existing one. */
  admission?: SubmitResult['outcome'];
}

/**
 * Stores a new job as `accepted`, then admits it: submitted to the hub now when it is due and the
 * hub has room, otherwise left waiting with a delayed queue message (docs/queue.md).
 */
export async function createJob(
  command: CreateJobCommand,
  deps: JobUseCaseDeps,
): Promise<CreateJobResult> {
  const requestHash = hashRequest(command.spec);
  const jobId = command.mode === 'put' && command.jobId ? command.jobId : newJobId(deps);
  if (command.mode === 'put') {
    const existing = await deps.jobStore.get(jobId);
    if (existing !== undefined) return replay(existing, requestHash, deps);
  }
  const now = deps.clock.now();
  const accepted = newAcceptedJob(jobId, command.spec, requestHash, now.toISOString());
  const pending = withStartTimeWait(
    command.rolloutId === undefined ? accepted : { ...accepted, rolloutId: command.rolloutId },
    now,
    deps.admission,
  );
  // A job due now claims its hub slot while it is stored: two independent requests at once.
  const slot =
    secondsUntilDue(pending, now, deps.admission) <= 0
      ? claimSlotEarly(jobId, deps)
      : Promise.resolve(undefined);
  let stored: StoredJob;
  try {
    stored = await deps.jobStore.createPending(pending);
  } catch (error) {
    // A hold is per job id: on a lost PUT race it is the winner's too, and stays.
    const lostRace = error instanceof JobExistsError;
    if (!lostRace && (await slot) === true) await releaseSlotSafely(jobId, deps);
    if (!lostRace || command.mode !== 'put') throw error;
    const raced = await deps.jobStore.get(jobId);
    if (raced === undefined) throw error;
    return replay(raced, requestHash, deps);
  }
  const claimed = await slot;
  const admission = await admitSafely(
    stored,
    deps,
    claimed === undefined ? {} : claimed ? { slotHeld: true } : { slotRefused: true },
  );
  // Admission's own write completed the create; one that wrote nothing (waiting for its start
  // time, say) leaves that to this call.
  const job = await completeSafely(admission.job ?? stored, deps);
  return { job, created: true, admission: admission.outcome };
}

function newJobId(deps: JobUseCaseDeps): string {
  return deps.newJobId ? deps.newJobId() : randomUUID();
}

/**
 * A PUT of an id already stored: the same request gets the stored job, a different one 409. A
 * job still `accepted` may be what a create cut short left: its create is completed.
 */
async function replay(
  existing: StoredJob,
  requestHash: string,
  deps: JobUseCaseDeps,
): Promise<CreateJobResult> {
  if (existing.requestHash !== requestHash) {
    throw new ConflictError(
      `Job ${existing.jobId} already exists with a different request; choose another id.`,
    );
  }
  const job =
    existing.status === 'accepted' ? await deps.jobStore.completeCreate(existing) : existing;
  return { job, created: false };
}

/** The job is stored and the poller takes it over should this fail. */
async function completeSafely(job: StoredJob, deps: JobUseCaseDeps): Promise<StoredJob> {
  try {
    return await deps.jobStore.completeCreate(job);
  } catch (error) {
    deps.logger.warn('createJob: could not list the job yet; the poller will', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return job;
  }
}

/**
 * The job is stored, so whatever goes wrong while admitting it, the caller gets 202: a queue
 * message (or, failing that, the poller's safety net) brings it back.
 */
/** True: the slot is held; false: the hub is full; undefined: the claim failed (admission retries). */
async function claimSlotEarly(jobId: string, deps: JobUseCaseDeps): Promise<boolean | undefined> {
  try {
    return await deps.hubSlots.claim(jobId, deps.admission.maxActiveJobs);
  } catch {
    return undefined;
  }
}

/** A hold whose job was never stored; should this fail, the poller frees it after the grace. */
async function releaseSlotSafely(jobId: string, deps: JobUseCaseDeps): Promise<void> {
  try {
    await releaseSlot(jobId, deps);
  } catch (error) {
    deps.logger.warn('createJob: could not free the hub slot of a job not stored', {
      jobId,
      error: describeError(error),
    });
  }
}

async function admitSafely(
  job: StoredJob,
  deps: JobUseCaseDeps,
  options: AdmitOptions,
): Promise<SubmitResult> {
  try {
    return await admitJob(job, deps, options);
  } catch (error) {
    deps.logger.error('createJob: admission failed; the job waits for a later attempt', {
      jobId: job.jobId,
      error: describeError(error),
    });
    try {
      await enqueueSubmission(deps, job.jobId, deps.admission.submitRetryBaseSeconds);
    } catch (queueError) {
      deps.logger.error('createJob: could not enqueue a retry; the poller will pick the job up', {
        jobId: job.jobId,
        error: describeError(queueError),
      });
    }
    return { outcome: 'deferred', job };
  }
}
