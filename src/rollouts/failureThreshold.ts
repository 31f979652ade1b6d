import type { DeviceJobStatistics } from '../jobs/job';
import type { FailureThreshold } from './rollout';

/**
 * Why the rollout must stop, or undefined while it may go on. Counted on the hub's statistics:
 * finished devices are succeeded + failed, and the hub's failed count holds every failure class
 * (failed, timed out, offline); live while a chunk runs, final once it ended.
 */
export function thresholdCrossing(
  threshold: FailureThreshold,
  statistics: DeviceJobStatistics,
): string | undefined {
  const failed = statistics.failedCount;
  const finished = statistics.succeededCount + failed;
  const minimum = threshold.minFinishedDevices ?? 0;
  if (failed === 0 || finished < minimum) return undefined;
  const share = (failed * 100) / finished;
  const figures = `${failed} of ${finished} finished devices failed (${share.toFixed(1)}%)`;
  const after = minimum > 0 ? `, counted after ${minimum} finished` : '';
  if (threshold.count !== undefined && failed >= threshold.count) {
    return `Failure threshold crossed: ${figures}, at or over the limit of ${threshold.count} devices${after}.`;
  }
  if (threshold.percent !== undefined && share >= threshold.percent) {
    return `Failure threshold crossed: ${figures}, at or over the limit of ${threshold.percent}%${after}.`;
  }
  return undefined;
}
