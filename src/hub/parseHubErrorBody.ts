/** What an IoT Hub error body says, whichever of its two formats it uses (docs/iothub.md, Errors). */
export interface HubErrorBody {
  /** The 6-digit code, e.g. 429004 (current format only). */
  code?: number;
  /** The code's name, e.g. `DeviceNotFound` (legacy format only; the header carries it too). */
  codeName?: string;
  message?: string;
}

const legacyMessagePattern = /^ErrorCode:([^;]*);([\s\S]*)$/;

/**
 * Reads a raw error body. Current format: `{"Message":"{\"errorCode\":404001,\"message\":...}"}`;
 * legacy: `{"Message":"ErrorCode:DeviceNotFound;Device not found"}`. Anything else yields `{}`.
 */
export function parseHubErrorBody(rawBody: unknown): HubErrorBody {
  const outer = parseJsonObject(rawBody);
  if (!outer) return {};
  const message = outer['Message'];
  if (typeof message !== 'string' || 'errorCode' in outer) return readCurrentFormat(outer);
  const inner = parseJsonObject(message);
  if (inner) return readCurrentFormat(inner);
  const legacy = legacyMessagePattern.exec(message);
  if (legacy) return withoutEmpty({ codeName: legacy[1]?.trim(), message: legacy[2]?.trim() });
  return withoutEmpty({ message: message.trim() });
}

function readCurrentFormat(body: Record<string, unknown>): HubErrorBody {
  const rawCode = body['errorCode'] ?? body['ErrorCode'];
  const code = typeof rawCode === 'string' && /^\d{6}$/.test(rawCode) ? Number(rawCode) : rawCode;
  const message = body['message'] ?? body['Message'];
  return withoutEmpty({
    code: typeof code === 'number' && Number.isInteger(code) ? code : undefined,
    message: typeof message === 'string' ? message.trim() : undefined,
  });
}

function parseJsonObject(text: unknown): Record<string, unknown> | undefined {
  const source = Buffer.isBuffer(text) ? text.toString('utf8') : text;
  if (typeof source !== 'string' || !source.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(source);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function withoutEmpty(body: HubErrorBody): HubErrorBody {
  const result: HubErrorBody = {};
  if (body.code !== undefined) result.code = body.code;
  if (body.codeName) result.codeName = body.codeName;
  if (body.message) result.message = body.message;
  return result;
}
