import { isHubActive, isTerminal } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import { refreshJobFromHub } from './refreshJobFromHub';
import { nudgeDeferredJobs } from './resumeWaitingJobs';
import { scheduleFollow } from './scheduleFollow';

/** Looks at a job this many times at most; after that the poller alone follows it. */
export const maxFollows = 5;

export type FollowOutcome = 'notFound' | 'ended' | 'running' | 'notActive';

/**
 * A job submitted into a slot another job freed has jobs waiting behind it: at its expected end it
 * is read from the hub, and once it has ended its slot goes at once to the job waiting longest,
 * instead of at the next poll tick (docs/queue.md, `followJob`). Still running, it is looked at
 * again from its new statistics, up to `maxFollows` times. Repeated or concurrent messages cost a
 * jobs operation each and change nothing twice: the job's write is guarded and slots are claimed.
 */
export async function followJob(
  jobId: string,
  follow: number,
  deps: JobUseCaseDeps,
): Promise<FollowOutcome> {
  const job = await deps.jobStore.get(jobId);
  if (job === undefined) return 'notFound';
  if (!isHubActive(job.status)) return 'notActive';
  const refreshed = await refreshJobFromHub(job, deps, 'followJob');
  if (isTerminal(refreshed.status)) {
    await nudgeDeferredJobs(await deps.jobStore.listActive(), 1, deps);
    return 'ended';
  }
  if (follow < maxFollows) await scheduleFollow(refreshed, deps, follow + 1);
  return 'running';
}
