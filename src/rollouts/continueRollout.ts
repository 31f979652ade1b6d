import { queueDelaySeconds } from '../jobs/scheduleSubmission';
import type { Rollout } from './rollout';
import type { RolloutDeps } from './rolloutDeps';

/**
 * Queues the rollout's next step after `delaySeconds` (at once by default; capped to what the
 * queue allows, so a far start time hops through several messages).
 */
export async function enqueueAdvance(
  rollout: Pick<Rollout, 'rolloutId'>,
  deps: Pick<RolloutDeps, 'queue' | 'admission'>,
  delaySeconds = 0,
): Promise<number> {
  const delay = queueDelaySeconds(delaySeconds, deps.admission);
  await deps.queue.send(
    { schemaVersion: 1, kind: 'advanceRollout', rolloutId: rollout.rolloutId },
    { delaySeconds: delay },
  );
  return delay;
}
