import { HubCallError } from '../core/hubCallError';
import { describeError } from '../core/logger';
import type { StoredJob } from './job';
import { persistSnapshot, type RefreshDeps } from './persistSnapshot';

/**
 * The job as the hub has it now, stored; the stored job unchanged when the hub cannot be asked
 * (the poller will). A job the hub no longer knows is stored as lost.
 */
export async function refreshJobFromHub(
  job: StoredJob,
  deps: RefreshDeps,
  caller: string,
): Promise<StoredJob> {
  const report = { ended: 0, failures: 0 };
  try {
    const snapshot = await deps.hub.getJob(job.jobId);
    return (await persistSnapshot(job, snapshot, deps, report)) ?? job;
  } catch (error) {
    if (error instanceof HubCallError && error.kind === 'notFound') {
      return (await persistSnapshot(job, undefined, deps, report)) ?? job;
    }
    deps.logger.info(`${caller}: could not refresh the job; the poller will`, {
      jobId: job.jobId,
      error: describeError(error),
    });
    return job;
  }
}
