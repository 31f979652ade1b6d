import { allPages } from '../core/page';
import type { DeviceResult } from './job';
import type { DeviceResultStore } from './ports';

export const deviceResultsCsvColumns = [
  'jobId',
  'deviceId',
  'status',
  'outcome',
  'startTimeUtc',
  'endTimeUtc',
  'methodStatus',
  'methodPayload',
  'errorCode',
  'errorDescription',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes are doubled. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function deviceResultCsvRow(result: DeviceResult): string {
  const method = result.methodResponse;
  const fields = [
    result.jobId,
    result.deviceId,
    result.status,
    result.outcome,
    result.startTimeUtc,
    result.endTimeUtc,
    method?.status,
    method === undefined ? undefined : JSON.stringify(method.payload ?? null),
    result.error?.code,
    result.error?.description,
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * The whole CSV of a job's device results, produced page by page so that a job with a million
 * devices never sits in memory at once.
 */
export async function* deviceResultsCsv(
  jobId: string,
  filter: { status?: string },
  deps: { deviceResultStore: DeviceResultStore },
  pageSize = 1000,
): AsyncGenerator<string> {
  yield `${deviceResultsCsvColumns.join(',')}\r\n`;
  const pages = allPages((continuationToken) =>
    deps.deviceResultStore.list(jobId, filter, { pageSize, continuationToken }),
  );
  for await (const page of pages) {
    if (page.items.length > 0) yield page.items.map(deviceResultCsvRow).join('');
  }
}
