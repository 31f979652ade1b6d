import { csvLine, outcomeCsvColumns, outcomeCsvFields, pagedCsv } from '../jobs/deviceResultsCsv';
import type { RolloutDeviceResult, RolloutDeviceResultStore } from './ports';
import type { RolloutDevicesFilter } from './rolloutDeviceQueries';

/** A job's device-result columns, with the rollout, the latest attempt and its chunk job. */
export const rolloutDevicesCsvColumns = [
  'rolloutId',
  'deviceId',
  'attempt',
  'jobId',
  ...outcomeCsvColumns,
] as const;

export function rolloutDeviceCsvRow(row: RolloutDeviceResult): string {
  return csvLine([row.rolloutId, row.deviceId, row.attempt, row.jobId, ...outcomeCsvFields(row)]);
}

/** Every merged row of the rollout as CSV, page by page, so a large fleet never sits in memory. */
export function rolloutDevicesCsv(
  rolloutId: string,
  filter: RolloutDevicesFilter,
  deps: { rolloutDeviceResults: RolloutDeviceResultStore },
  pageSize = 1000,
): AsyncGenerator<string> {
  return pagedCsv(
    rolloutDevicesCsvColumns,
    (continuationToken) =>
      deps.rolloutDeviceResults.list(rolloutId, filter, { pageSize, continuationToken }),
    rolloutDeviceCsvRow,
  );
}
