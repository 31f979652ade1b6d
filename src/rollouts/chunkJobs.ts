import { describeError } from '../core/logger';
import { requestCancel } from '../jobs/cancelJob';
import { createJob } from '../jobs/createJob';
import type { JobSpec, StoredJob } from '../jobs/job';
import { isTerminal, resultsImported } from '../jobs/jobLifecycle';
import { refreshJobFromHub } from '../jobs/refreshJobFromHub';
import { admitJob } from '../jobs/submitJob';
import { chunkJobId, type Rollout, type WaveState } from './rollout';
import { openJobIdsOf, type ChunkJobs } from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';

/** The wave's open chunk jobs as stored now (undefined: recorded, not stored yet). */
export async function readChunkJobs(wave: WaveState, deps: RolloutDeps): Promise<ChunkJobs> {
  const entries = await Promise.all(
    openJobIdsOf(wave).map(async (jobId) => [jobId, await deps.jobStore.get(jobId)] as const),
  );
  return new Map(entries);
}

const importReadsAtOnce = 20;

/** Those of `jobIds` whose device results are not all imported yet (an unstored one has none). */
export async function chunkJobsStillImporting(
  jobIds: readonly string[],
  deps: RolloutDeps,
): Promise<string[]> {
  const importing: string[] = [];
  for (let i = 0; i < jobIds.length; i += importReadsAtOnce) {
    const batch = jobIds.slice(i, i + importReadsAtOnce);
    const jobs = await Promise.all(batch.map((jobId) => deps.jobStore.get(jobId)));
    jobs.forEach((job, j) => {
      if (job !== undefined && !resultsImported(job)) importing.push(batch[j] ?? '');
    });
  }
  return importing;
}

/**
 * Creates chunk `chunk` of `wave` as an ordinary job under its deterministic id, so a repeated or
 * concurrent step finds the job already there (a replay) and the hub never gets it twice.
 */
export async function createChunkJob(
  rollout: Rollout,
  wave: WaveState,
  chunk: number,
  deps: RolloutDeps,
  attempt = wave.attempt ?? 1,
): Promise<StoredJob> {
  const planned = await deps.rolloutChunks.get(rollout.rolloutId, wave.index, chunk, attempt);
  if (planned === undefined) {
    throw new Error(
      `Rollout ${rollout.rolloutId}: chunk ${chunk} of wave ${wave.index}, attempt ${attempt}, is not planned`,
    );
  }
  const { operation, maxExecutionTimeInSeconds } = rollout.spec;
  const spec: JobSpec = {
    type: operation.type,
    ...(operation.cloudToDeviceMethod === undefined
      ? {}
      : { cloudToDeviceMethod: operation.cloudToDeviceMethod }),
    ...(operation.updateTwin === undefined ? {} : { updateTwin: operation.updateTwin }),
    queryCondition: planned.queryCondition,
    maxExecutionTimeInSeconds,
  };
  const jobId = chunkJobId(rollout.rolloutId, wave.index, chunk, attempt);
  const { job } = await createJob({ jobId, spec, mode: 'put', rolloutId: rollout.rolloutId }, deps);
  return job;
}

/**
 * A chunk job stored but not at the hub yet: admitted as its queue message would admit it. When
 * its creator is alive this is a harmless repeat (the slot is held per job id, and the hub answers
 * a second create of the same id 409, which counts as done); when the creator stopped before
 * admitting it, nothing else would (the poller lists a job cut short only after the create grace).
 * A refusal records nothing, so no second message chain starts.
 */
export async function admitWaitingChunk(job: StoredJob, deps: RolloutDeps): Promise<StoredJob> {
  try {
    const result = await admitJob(job, deps, { deferOnRefusal: false });
    return result.job ?? job;
  } catch (error) {
    deps.logger.info('advanceRollout: could not admit a waiting chunk; the next step will', {
      jobId: job.jobId,
      error: describeError(error),
    });
    return job;
  }
}

/**
 * Asks the hub for a chunk that should have ended by now and stores its answer, so the next
 * chunk need not wait for the poller. Answers the job as stored (unchanged on any failure: the
 * poller refreshes it anyway).
 */
export function refreshChunkJob(job: StoredJob, deps: RolloutDeps): Promise<StoredJob> {
  return refreshJobFromHub(job, deps, 'advanceRollout');
}

/** Cancels chunk jobs still running, for a rollout that was cancelled; ended ones are left. */
export async function cancelChunkJobs(jobIds: readonly string[], deps: RolloutDeps): Promise<void> {
  for (const jobId of jobIds) {
    const job = await deps.jobStore.get(jobId);
    if (job === undefined || job.cancelRequested || isTerminal(job.status)) continue;
    try {
      await requestCancel(jobId, deps);
    } catch (error) {
      deps.logger.warn('cancelRollout: could not cancel a chunk job', {
        jobId,
        error: describeError(error),
      });
    }
  }
}
