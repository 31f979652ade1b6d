import { emptyStatistics, type DeviceJobStatistics } from '../jobs/job';

/** Sums job statistics; a device is in one chunk job only, so the sum counts it once. */
export function mergeStatistics(
  all: readonly DeviceJobStatistics[],
): Required<DeviceJobStatistics> {
  const sum = { ...emptyStatistics, cancelledCount: 0 };
  for (const stats of all) {
    sum.deviceCount += stats.deviceCount;
    sum.failedCount += stats.failedCount;
    sum.succeededCount += stats.succeededCount;
    sum.runningCount += stats.runningCount;
    sum.pendingCount += stats.pendingCount;
    sum.cancelledCount += stats.cancelledCount ?? 0;
  }
  return sum;
}
