import { allPages } from '../core/page';
import { csvField } from '../jobs/deviceResultsCsv';
import type { RolloutDeviceResult, RolloutDeviceResultStore } from './ports';
import type { RolloutDevicesFilter } from './rolloutDeviceQueries';

/** A job's device-result columns, with the rollout, the latest attempt and its chunk job. */
export const rolloutDevicesCsvColumns = [
  'rolloutId',
  'deviceId',
  'attempt',
  'jobId',
  'status',
  'outcome',
  'startTimeUtc',
  'endTimeUtc',
  'methodStatus',
  'methodPayload',
  'errorCode',
  'errorDescription',
] as const;

export function rolloutDeviceCsvRow(row: RolloutDeviceResult): string {
  const method = row.methodResponse;
  const fields = [
    row.rolloutId,
    row.deviceId,
    row.attempt,
    row.jobId,
    row.status,
    row.outcome,
    row.startTimeUtc,
    row.endTimeUtc,
    method?.status,
    method === undefined ? undefined : JSON.stringify(method.payload ?? null),
    row.error?.code,
    row.error?.description,
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** Every merged row of the rollout as CSV, page by page, so a large fleet never sits in memory. */
export async function* rolloutDevicesCsv(
  rolloutId: string,
  filter: RolloutDevicesFilter,
  deps: { rolloutDeviceResults: RolloutDeviceResultStore },
  pageSize = 1000,
): AsyncGenerator<string> {
  yield `${rolloutDevicesCsvColumns.join(',')}\r\n`;
  const pages = allPages((continuationToken) =>
    deps.rolloutDeviceResults.list(rolloutId, filter, { pageSize, continuationToken }),
  );
  for await (const page of pages) {
    if (page.items.length > 0) yield page.items.map(rolloutDeviceCsvRow).join('');
  }
}
