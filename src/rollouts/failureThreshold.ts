import { failureOutcomes, type DeviceJobStatistics } from '../jobs/job';
import {
  retryOutcomes,
  type FailureThreshold,
  type RetryOutcome,
  type RolloutFailureCounts,
} from './rollout';

/**
 * True when the threshold counts some failure classes only: those are counted from the imported
 * results (and verification's verdicts), after each chunk, rather than from the failed count.
 * `notConverged` is a class only where it can happen: in a verified rollout.
 */
export function countsChosenClasses(
  threshold: FailureThreshold | undefined,
  verified = false,
): boolean {
  const outcomes = threshold?.outcomes;
  if (outcomes === undefined) return false;
  const classes: readonly RetryOutcome[] = verified ? retryOutcomes : failureOutcomes;
  return !classes.every((outcome) => outcomes.includes(outcome));
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
  imported: RolloutFailureCounts = {},
  verified = false,
): string | undefined {
  const finished = statistics.succeededCount + statistics.failedCount;
  const failed = countsChosenClasses(threshold, verified)
    ? (threshold.outcomes ?? []).reduce((sum, outcome) => sum + (imported[outcome] ?? 0), 0)
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
export function sumFailureCounts(all: readonly RolloutFailureCounts[]): RolloutFailureCounts {
  const sum: RolloutFailureCounts = {};
  for (const counts of all) {
    for (const outcome of retryOutcomes) {
      const count = counts[outcome];
      if (count !== undefined) sum[outcome] = (sum[outcome] ?? 0) + count;
    }
  }
  return sum;
}
