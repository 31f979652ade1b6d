import { DeviceIdCollector, deviceIdProblemWithoutText, maxRolloutDeviceIds } from './deviceIdList';

export type DeviceIdTextResult = { deviceIds: string[] } | { errors: string[] };

/**
 * A producer blob's text as device ids: a JSON array of strings, or UTF-8 lines (`\r` trimmed,
 * blank lines skipped). De-duplicated, first occurrence kept. Errors name a line or an array
 * index and the problem, never the blob's text: it may hold anything.
 */
export function parseDeviceIdText(
  text: string,
  maxDeviceIds = maxRolloutDeviceIds,
): DeviceIdTextResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const collector = new DeviceIdCollector(deviceIdProblemWithoutText);
  const isJson = body.trimStart().startsWith('[');
  const readError = isJson ? readJsonArray(body, collector) : readLines(body, collector);
  if (readError !== undefined) return { errors: [readError] };
  const noun = isJson ? 'index' : 'line';
  const errors = collector.problems.map(
    ({ position, message }) => `${noun} ${position}: ${message}`,
  );
  const summary = collector.unlistedSummary(isJson ? 'items' : 'lines');
  if (summary !== undefined) errors.push(summary);
  if (errors.length === 0) errors.push(...countProblems(collector.deviceIds.length, maxDeviceIds));
  return errors.length > 0 ? { errors } : { deviceIds: collector.deviceIds };
}

function countProblems(count: number, maxDeviceIds: number): string[] {
  if (count === 0) return ['holds no device ids'];
  if (count > maxDeviceIds) {
    return [
      `holds ${count} distinct device ids, over the limit of ${maxDeviceIds}: split them into several rollouts`,
    ];
  }
  return [];
}

/** Line numbers are 1-based, counting blank lines, as an editor shows them. */
function readLines(text: string, collector: DeviceIdCollector): undefined {
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const trimmedEnd = text.charCodeAt(end - 1) === 13 && end > start ? end - 1 : end;
    if (!isBlank(text, start, trimmedEnd)) collector.add(text.slice(start, trimmedEnd), line);
    if (newline < 0) break;
    start = newline + 1;
  }
  return undefined;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/** Indexes are 0-based, as in the array. The parser's own message is dropped: it quotes text. */
function readJsonArray(text: string, collector: DeviceIdCollector): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const position = /at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(String(error))?.[1];
    return `is not valid JSON${position === undefined ? '' : ` (near character ${Number(position) + 1})`}: expected an array of device-id strings`;
  }
  if (!Array.isArray(parsed)) return 'is not a JSON array of device-id strings';
  parsed.forEach((value, index) => collector.add(value, index));
  return undefined;
}
