import type { Rollout, RolloutStatus, StoredRollout, WaveState, WaveStatus } from './rollout';
import {
  isRolloutTerminal,
  rolloutStatistics,
  waveStatistics,
  type ChunkJobs,
} from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';
import { updateRolloutGuarded } from './updateRolloutGuarded';

/** How a rollout ends early: its status and message, and what its current wave becomes. */
export interface EarlyEnd {
  status: Extract<RolloutStatus, 'completed' | 'failed'>;
  statusMessage: (current: Rollout) => string;
  currentWave: (current: WaveState) => WaveStatus;
}

/**
 * Writes the rollout ended while `wave` is current: that wave with its latest statistics, the
 * waves not started `cancelled`. Nothing is written over a rollout that already ended.
 */
export async function endRolloutEarly(
  rollout: StoredRollout,
  wave: WaveState,
  jobs: ChunkJobs,
  end: EarlyEnd,
  deps: RolloutDeps,
): Promise<StoredRollout> {
  const now = deps.clock.now().toISOString();
  const statistics = waveStatistics(wave, jobs);
  const { rollout: stored } = await updateRolloutGuarded(deps.rollouts, rollout, (current) => {
    if (isRolloutTerminal(current.status)) return undefined;
    const waves = current.waves.map((w): WaveState => {
      if (w.index === wave.index) {
        return { ...w, status: end.currentWave(w), statistics, endedAt: now };
      }
      return w.status === 'pending' ? { ...w, status: 'cancelled' } : w;
    });
    return {
      ...current,
      status: end.status,
      statusMessage: end.statusMessage(current),
      waves,
      statistics: rolloutStatistics(waves),
      endedAt: now,
      updatedAt: now,
    };
  });
  return stored;
}
