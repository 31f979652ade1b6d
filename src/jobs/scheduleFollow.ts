import type { StoredJob } from './job';
import { isHubActive } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { queueDelaySeconds } from './scheduleSubmission';

/**
 * Queues a `followJob` for when the job should have ended: its devices still to run at the hub's
 * device-operation rate, at least a second. Not for a rollout's chunks, which their rollout
 * follows, nor when the rate is not configured.
 */
export async function scheduleFollow(
  job: StoredJob,
  deps: Pick<JobUseCaseDeps, 'queue' | 'admission'>,
  follow = 1,
): Promise<void> {
  const rate = deps.admission.deviceOperationsPerSecond;
  if (rate === undefined || job.rolloutId !== undefined || !isHubActive(job.status)) return;
  const { deviceCount, pendingCount, runningCount } = job.statistics;
  const devicesLeft = deviceCount > 0 ? pendingCount + runningCount : 1;
  const seconds = Math.max(1, Math.ceil(devicesLeft / Math.max(rate, 0.001)));
  await deps.queue.send(
    { schemaVersion: 1, kind: 'followJob', jobId: job.jobId, follow },
    { delaySeconds: queueDelaySeconds(seconds, deps.admission) },
  );
}
