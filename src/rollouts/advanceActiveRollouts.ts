import { describeError } from '../core/logger';
import { advanceRollout } from './advanceRollout';
import type { RolloutDeps } from './rolloutDeps';

export interface RolloutTickReport {
  activeRollouts: number;
  advanced: number;
  ended: number;
  failures: number;
}

/**
 * The poll tick's part for rollouts: each active rollout is stepped once, after the tick has
 * refreshed every job, so a chunk that ended is followed up even when its continuation message
 * was lost. Cheap when nothing changed: a few table reads per rollout, no hub call.
 */
export async function advanceActiveRollouts(deps: RolloutDeps): Promise<RolloutTickReport> {
  const active = await deps.rollouts.listActive();
  const report: RolloutTickReport = {
    activeRollouts: active.length,
    advanced: 0,
    ended: 0,
    failures: 0,
  };
  for (const rollout of active) {
    try {
      const result = await advanceRollout(rollout.rolloutId, deps, { refreshFromHub: false });
      report.advanced++;
      if (result.outcome === 'ended') report.ended++;
    } catch (error) {
      report.failures++;
      deps.logger.warn('pollJobs: could not advance a rollout', {
        rolloutId: rollout.rolloutId,
        error: describeError(error),
      });
    }
  }
  return report;
}
