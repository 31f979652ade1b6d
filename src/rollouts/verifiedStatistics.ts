import type { DeviceJobStatistics } from '../jobs/job';
import type { WaveState } from './rollout';

/**
 * The hub's statistics as a verified rollout counts them: devices awaiting their reported
 * properties are running, those that did not match in time failed.
 */
export function withVerification(wave: WaveState, hub: DeviceJobStatistics): DeviceJobStatistics {
  const awaiting = (wave.verifying ?? []).reduce((sum, chunk) => sum + chunk.awaiting, 0);
  const notConverged = wave.verification?.notConverged ?? 0;
  if (awaiting === 0 && notConverged === 0) return hub;
  return {
    ...hub,
    succeededCount: Math.max(0, hub.succeededCount - awaiting - notConverged),
    runningCount: hub.runningCount + awaiting,
    failedCount: hub.failedCount + notConverged,
  };
}
