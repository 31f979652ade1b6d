import { HubCallError, type HubErrorKind } from '../core/hubCallError';
import { parseHubErrorBody } from './parseHubErrorBody';
import { redactedExcerpt } from '../core/redactSecrets';

interface HttpFailure {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

const transientSocketCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * Turns whatever a hub call threw into a `HubCallError`, from the HTTP status, the
 * `iothub-errorcode` header and the raw body (both formats), never from the SDK's error class or
 * name: the SDK mislabels errors in the current body format (docs/iothub.md, Errors).
 * The result carries no `cause`: SDK errors hold the request, whose headers hold the SAS token.
 */
export function classifyHubError(error: unknown, now: Date = new Date()): HubCallError {
  if (error instanceof HubCallError) return error;
  const failure = httpFailureOf(error);
  if (failure) return classifyHttpFailure(failure, now);
  const socketCode = stringProperty(error, 'code');
  if (socketCode !== undefined && transientSocketCodes.has(socketCode)) {
    return new HubCallError('transient', `IoT Hub connection failed (${socketCode}).`);
  }
  return new HubCallError('unknown', `IoT Hub call failed: ${describeUnknown(error, socketCode)}`);
}

function classifyHttpFailure({ status, headers, body }: HttpFailure, now: Date): HubCallError {
  const parsed = parseHubErrorBody(body);
  const codeName = headerValue(headers, 'iothub-errorcode') ?? parsed.codeName;
  const code = parsed.code;
  const retryAfterMs = retryAfterMsOf(headers, now);
  const kind = kindOf(status, code, codeName);
  const label = [codeName, code].filter((part) => part !== undefined).join(' ');
  const hubMessage = parsed.message === undefined ? '' : `: ${redactedExcerpt(parsed.message)}`;
  const message = `IoT Hub answered ${status}${label ? ` (${label})` : ''}${hubMessage}`;
  return new HubCallError(kind, message, {
    status,
    ...(code === undefined ? {} : { code }),
    ...(codeName === undefined ? {} : { codeName }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function kindOf(status: number, code?: number, codeName?: string): HubErrorKind {
  const name = codeName?.toLowerCase();
  if (status === 429) {
    const noFreeSlot = code === 429004 || name === 'throttlingmaxactivejobcountexceeded';
    return noFreeSlot ? 'maxActiveJobs' : 'throttled';
  }
  // 403003 is documented but said not to be returned; if it is, it means the same: no free slot.
  if (status === 403 && (code === 403003 || name === 'jobquotaexceeded')) return 'maxActiveJobs';
  if (status >= 500 || status === 408) return 'transient';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 412) return 'preconditionFailed';
  if (status >= 400) return 'badRequest';
  return 'unknown';
}

function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const response = (error as { response?: unknown }).response;
  if (typeof response !== 'object' || response === null) return undefined;
  const status = (response as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 300) return undefined;
  const headers = (response as { headers?: unknown }).headers;
  return {
    status,
    headers:
      typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>) : {},
    body: (error as { responseBody?: unknown }).responseBody,
  };
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value: unknown = Array.isArray(entry?.[1]) ? (entry[1] as unknown[])[0] : entry?.[1];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `Retry-After` in seconds or as an HTTP date; `retry-after-ms` when present wins. */
function retryAfterMsOf(headers: Record<string, unknown>, now: Date): number | undefined {
  const milliseconds =
    headerValue(headers, 'retry-after-ms') ?? headerValue(headers, 'x-ms-retry-after-ms');
  if (milliseconds !== undefined && /^\d+(\.\d+)?$/.test(milliseconds)) {
    return Math.round(Number(milliseconds));
  }
  const retryAfter = headerValue(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

function stringProperty(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const property = (value as Record<string, unknown>)[key];
  return typeof property === 'string' ? property : undefined;
}

function describeUnknown(error: unknown, code: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const text = redactedExcerpt(message || 'no details');
  return code === undefined || text.includes(code) ? text : `${text} (${code})`;
}
