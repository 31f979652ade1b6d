import { submitRetryDelaySeconds } from '../core/backoff';
import type { Job, StoredJob } from './job';
import type { AdmissionOptions, JobUseCaseDeps } from './jobUseCaseDeps';
import { updateJobGuarded } from './updateJobGuarded';

type QueueDeps = Pick<JobUseCaseDeps, 'queue' | 'admission'>;

/** When the job should be submitted: its start time minus the lead, or at once (0). */
export function submissionDueAtMs(job: Pick<Job, 'spec'>, options: AdmissionOptions): number {
  if (job.spec.startTime === undefined) return 0;
  return Date.parse(job.spec.startTime) - options.submitLeadSeconds * 1000;
}

/**
 * A new job that waits for its start time says so and until when, as one waiting for a hub slot
 * does (`deferSubmission`); a job due now is returned as it is.
 */
export function withStartTimeWait<T extends Job>(job: T, now: Date, options: AdmissionOptions): T {
  const dueAtMs = submissionDueAtMs(job, options);
  if (dueAtMs <= now.getTime()) return job;
  const submitAt = new Date(dueAtMs).toISOString();
  return {
    ...job,
    statusMessage: `Waiting for its start time; it will be submitted to the hub at ${submitAt}.`,
  };
}

/** Seconds until the job should be submitted; ≤ 0 means now. */
export function secondsUntilDue(
  job: Pick<StoredJob, 'spec'>,
  now: Date,
  options: AdmissionOptions,
): number {
  return Math.ceil((submissionDueAtMs(job, options) - now.getTime()) / 1000);
}

/** Whole seconds from 0 up to the queue's longest delay (a longer wait hops through messages). */
export function queueDelaySeconds(delaySeconds: number, options: AdmissionOptions): number {
  return Math.max(0, Math.min(Math.ceil(delaySeconds), options.maxQueueDelaySeconds));
}

/** Asks the queue to bring the job back after `delaySeconds` (capped to what the queue allows). */
export async function enqueueSubmission(
  deps: QueueDeps,
  jobId: string,
  delaySeconds: number,
): Promise<number> {
  const delay = queueDelaySeconds(delaySeconds, deps.admission);
  await deps.queue.send({ schemaVersion: 1, kind: 'submitJob', jobId }, { delaySeconds: delay });
  return delay;
}

export interface Deferral {
  job: StoredJob;
  /** Undefined when the job no longer waits (cancelled or submitted meanwhile): nothing enqueued. */
  delaySeconds?: number;
}

/**
 * Records one more deferred attempt and enqueues the next one with a growing delay. The counter is
 * written first, so a crash between the two steps leaves a redelivered message, never a lost job.
 */
export async function deferSubmission(
  deps: Pick<JobUseCaseDeps, 'jobStore' | 'queue' | 'admission' | 'clock' | 'random'>,
  job: StoredJob,
  reason: string,
  retryAfterMs?: number,
): Promise<Deferral> {
  const now = deps.clock.now().toISOString();
  const { job: stored, written } = await updateJobGuarded(deps.jobStore, job, (current) =>
    current.status === 'accepted' && !current.cancelRequested
      ? {
          ...current,
          submitAttempts: current.submitAttempts + 1,
          statusMessage: reason,
          updatedAt: now,
        }
      : undefined,
  );
  if (!written) return { job: stored };
  const delay = submitRetryDelaySeconds(
    stored.submitAttempts - 1,
    {
      baseSeconds: deps.admission.submitRetryBaseSeconds,
      maxSeconds: deps.admission.submitRetryMaxSeconds,
    },
    deps.random,
    retryAfterMs,
  );
  return { job: stored, delaySeconds: await enqueueSubmission(deps, job.jobId, delay) };
}
