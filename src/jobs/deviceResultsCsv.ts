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

/** First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection). */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, and its quotes are doubled. A
 * text that a spreadsheet would run as a formula gets a leading `'` and is quoted, as OWASP
 * recommends; numbers are written as they are.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string' && formulaStart.test(value)) return quoted(`'${value}`);
  const text = String(value);
  return /[",\r\n]/.test(text) ? quoted(text) : text;
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
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
