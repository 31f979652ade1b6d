import { ConflictError } from '../core/errors';
import { cancelChunkJobs } from './chunkJobs';
import type { StoredRollout } from './rollout';
import { isRolloutTerminal, notStartedWaves, openJobIdsOf } from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';
import { RolloutNotFoundError } from './rolloutErrors';
import { updateRolloutGuarded } from './updateRolloutGuarded';

export class RolloutAlreadyEndedError extends ConflictError {
  constructor(rolloutId: string, status: string) {
    super(`Rollout ${rolloutId} has already ended (${status}); there is nothing to cancel.`);
  }
}

/**
 * Cancels a rollout: it is written `cancelled` first, so no step starts another chunk, then its
 * chunk jobs still running are cancelled at the hub (or recorded for the poller to cancel).
 */
export async function cancelRollout(rolloutId: string, deps: RolloutDeps): Promise<StoredRollout> {
  const rollout = await deps.rollouts.get(rolloutId);
  if (rollout === undefined) throw new RolloutNotFoundError(rolloutId);
  if (isRolloutTerminal(rollout.status))
    throw new RolloutAlreadyEndedError(rolloutId, rollout.status);
  const now = deps.clock.now().toISOString();
  const { rollout: stored } = await updateRolloutGuarded(deps.rollouts, rollout, (current) => {
    if (isRolloutTerminal(current.status)) return undefined;
    const skipped = notStartedWaves(current);
    return {
      ...current,
      status: 'cancelled',
      cancelRequested: true,
      statusMessage:
        skipped.length === 0
          ? 'Cancelled by request.'
          : `Cancelled by request; wave(s) ${skipped.join(', ')} were not started.`,
      waves: current.waves.map((wave) =>
        wave.status === 'pending' || wave.status === 'running'
          ? { ...wave, status: 'cancelled' as const, endedAt: now }
          : wave,
      ),
      endedAt: now,
      updatedAt: now,
    };
  });
  if (isRolloutTerminal(stored.status) && stored.status !== 'cancelled') {
    throw new RolloutAlreadyEndedError(rolloutId, stored.status);
  }
  await cancelChunkJobs(stored.waves.flatMap(openJobIdsOf), deps);
  return stored;
}
