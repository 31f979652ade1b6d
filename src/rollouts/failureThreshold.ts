import { failureOutcomes, type DeviceJobStatistics, type FailureCounts } from '../jobs/job';
import type { FailureThreshold } from './rollout';

/**
 * True when the threshold counts some failure classes only: those are counted from the imported
 * results, after each chunk, rather than from the hub's live failed count.
 */
export function countsChosenClasses(threshold: FailureThreshold | undefined): boolean {
  const outcomes = threshold?.outcomes;
  if (outcomes === undefined) return false;
  return !failureOutcomes.every((outcome) => outcomes.includes(outcome));
}

/**
 * Why the rollout must stop, or undefined while it may go on. Finished devices are the hub's
 * succeeded + failed. Failures are the hub's failed count, which holds every failure class (live
 * while a chunk runs), or, when the threshold names some classes, those classes' counts from the
 * imported results (`imported`).
 */
export function thresholdCrossing(
  threshold: FailureThreshold,
  statistics: DeviceJobStatistics,
  imported: FailureCounts = {},
): string | undefined {
  const finished = statistics.succeededCount + statistics.failedCount;
  const failed = countsChosenClasses(threshold)
    ? (threshold.outcomes ?? []).reduce(
        (sum, outcome) => sum + ((imported as Record<string, number>)[outcome] ?? 0),
        0,
      )
    : statistics.failedCount;
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

/** Per-class failure counts added up. */
export function sumFailureCounts(all: readonly FailureCounts[]): FailureCounts {
  const sum: FailureCounts = {};
  for (const counts of all) {
    for (const outcome of failureOutcomes) {
      const count = counts[outcome];
      if (count !== undefined) sum[outcome] = (sum[outcome] ?? 0) + count;
    }
  }
  return sum;
}
