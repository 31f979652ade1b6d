import { randomUUID } from 'node:crypto';
import { HubError, hubErrors } from '../hubError';

export type ErrorFormat = 'current' | 'legacy';

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The hub's error answer. `current`: Message holds a JSON string with the 6-digit code (today's
 * service); `legacy`: `ErrorCode:<Name>;<message>`, the only form the Node SDK maps to typed errors.
 * Both carry the `iothub-errorcode` header (docs/iothub.md, Errors).
 */
export function renderHubError(
  error: HubError,
  format: ErrorFormat,
  now: Date = new Date(),
): RenderedError {
  const trackingId = `${randomUUID().replaceAll('-', '')}-TimeStamp:${legacyTimestamp(now)}`;
  const payload =
    format === 'legacy'
      ? {
          Message: `ErrorCode:${error.codeName};${error.message}`,
          ExceptionMessage: `Tracking ID:${trackingId}`,
        }
      : {
          Message: JSON.stringify({
            errorCode: error.code,
            trackingId,
            message: error.message,
            timestampUtc: now.toISOString(),
          }),
          ExceptionMessage: '',
        };
  return {
    status: error.status,
    headers: { ...lowerCaseKeys(error.headers), 'iothub-errorcode': error.codeName },
    body: JSON.stringify(payload),
  };
}

/** Anything that is not a HubError becomes a bare 500: its text and stack stay on the server. */
export function asHubError(error: unknown): HubError {
  return error instanceof HubError ? error : hubErrors.serverError();
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** `MM/dd/yyyy HH:mm:ss` in UTC, as in captured legacy tracking ids. */
function legacyTimestamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}
