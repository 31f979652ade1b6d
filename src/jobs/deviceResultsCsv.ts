import { allPages, type Page } from '../core/page';
import type { DeviceResult } from './job';
import type { DeviceResultStore } from './ports';

/** The columns of `outcomeCsvFields`, in its order. */
export const outcomeCsvColumns = [
  'status',
  'outcome',
  'startTimeUtc',
  'endTimeUtc',
  'methodStatus',
  'methodPayload',
  'errorCode',
  'errorDescription',
] as const;

export const deviceResultsCsvColumns = ['jobId', 'deviceId', ...outcomeCsvColumns] as const;

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

/** A device's outcome in one job, as CSV fields: status to error description. */
export function outcomeCsvFields(
  result: Omit<DeviceResult, 'outcome'> & { outcome: string },
): (string | number | undefined)[] {
  const method = result.methodResponse;
  return [
    result.status,
    result.outcome,
    result.startTimeUtc,
    result.endTimeUtc,
    method?.status,
    method === undefined ? undefined : JSON.stringify(method.payload ?? null),
    result.error?.code,
    result.error?.description,
  ];
}

/** One CSV line, RFC 4180 with CRLF. */
export function csvLine(fields: readonly (string | number | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function deviceResultCsvRow(result: DeviceResult): string {
  return csvLine([result.jobId, result.deviceId, ...outcomeCsvFields(result)]);
}

/**
 * A CSV of `columns` over every item of a paged source, page by page, so that a million rows
 * never sit in memory at once.
 */
export async function* pagedCsv<T>(
  columns: readonly string[],
  readPage: (continuationToken: string | undefined) => Promise<Page<T>>,
  row: (item: T) => string,
): AsyncGenerator<string> {
  yield csvLine(columns);
  for await (const page of allPages(readPage)) {
    if (page.items.length > 0) yield page.items.map(row).join('');
  }
}

/** The whole CSV of a job's device results. */
export function deviceResultsCsv(
  jobId: string,
  filter: { status?: string },
  deps: { deviceResultStore: DeviceResultStore },
  pageSize = 1000,
): AsyncGenerator<string> {
  return pagedCsv(
    deviceResultsCsvColumns,
    (continuationToken) =>
      deps.deviceResultStore.list(jobId, filter, { pageSize, continuationToken }),
    deviceResultCsvRow,
  );
}
