import { ConflictError } from '../core/errors';
import { describeError } from '../core/logger';
import { enqueueAdvance } from './continueRollout';
import type { StoredRollout } from './rollout';
import { isRolloutTerminal } from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';
import { RolloutNotFoundError } from './rolloutErrors';
import { updateRolloutGuarded } from './updateRolloutGuarded';

export class RolloutNotPausableError extends ConflictError {}

/**
 * Pauses a rollout: the chunks already running finish, nothing new starts (and a chunk waiting
 * for a slot is not admitted) until it is resumed. Pausing a paused rollout changes nothing.
 */
export async function pauseRollout(rolloutId: string, deps: RolloutDeps): Promise<StoredRollout> {
  const now = deps.clock.now().toISOString();
  return changeStatus(rolloutId, deps, (current) => {
    if (current.status === 'paused') return undefined;
    return {
      ...current,
      status: 'paused',
      pausedAt: now,
      statusMessage: `Paused at ${now}; the running chunks finish, nothing new starts until resumed.`,
      updatedAt: now,
    };
  });
}

/** Resumes a paused rollout where it stopped, at once; any other status is a 409. */
export async function resumeRollout(rolloutId: string, deps: RolloutDeps): Promise<StoredRollout> {
  const now = deps.clock.now().toISOString();
  const resumed = await changeStatus(rolloutId, deps, (current) => {
    if (current.status !== 'paused') {
      throw new RolloutNotPausableError(
        `Rollout ${rolloutId} is ${current.status}, not paused; there is nothing to resume.`,
      );
    }
    const { pausedAt: _pausedAt, statusMessage: _message, ...rest } = current;
    return {
      ...rest,
      status: current.startedAt === undefined ? 'accepted' : 'running',
      updatedAt: now,
    };
  });
  try {
    await enqueueAdvance(resumed, deps);
  } catch (error) {
    deps.logger.warn('resumeRollout: could not queue the next step; the poller will take it', {
      rolloutId,
      error: describeError(error),
    });
  }
  return resumed;
}

async function changeStatus(
  rolloutId: string,
  deps: RolloutDeps,
  change: (current: StoredRollout) => StoredRollout | undefined,
): Promise<StoredRollout> {
  const rollout = await deps.rollouts.get(rolloutId);
  if (rollout === undefined) throw new RolloutNotFoundError(rolloutId);
  const { rollout: stored } = await updateRolloutGuarded(deps.rollouts, rollout, (current) => {
    if (isRolloutTerminal(current.status)) {
      throw new RolloutNotPausableError(
        `Rollout ${rolloutId} has already ended (${current.status}).`,
      );
    }
    return change(current);
  });
  return stored;
}
