import { hubErrors, type HubError } from '../hubError';
import { isJsonObject } from './twinPatch';

const MAX_PAYLOAD_BYTES = 128 * 1024;
// Method names follow the hub's rule for names in jobs: printable US-ASCII without separators.
const METHOD_NAME = /^[\x21-\x7e]+$/;
const METHOD_NAME_SEPARATORS = /[$()<>@,;:\\"/[\]?={}]/;

/** A direct-method request with the hub's defaults applied. */
export interface ParsedMethodRequest {
  methodName: string;
  payload: unknown;
  responseTimeoutInSeconds: number;
  connectTimeoutInSeconds: number;
}

function timeout(
  value: unknown,
  name: string,
  range: { min: number; max: number; fallback: number },
  invalid: (message: string) => HubError,
): number {
  if (value === undefined || value === null) return range.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`${name} must be a whole number of seconds.`);
  }
  if (value < range.min || value > range.max) {
    throw invalid(`${name} must be between ${range.min} and ${range.max} seconds (got ${value}).`);
  }
  return value;
}

/** Throws 413 MessageTooLarge when the payload is over the hub's 128 KB limit. */
export function checkPayloadSize(payload: unknown): void {
  const size = Buffer.byteLength(JSON.stringify(payload ?? null));
  if (size > MAX_PAYLOAD_BYTES) {
    throw hubErrors.messageTooLarge(
      `The method payload is ${size} bytes; the hub allows at most ${MAX_PAYLOAD_BYTES}.`,
    );
  }
}

export function parseMethodRequest(
  request: unknown,
  invalid: (message: string) => HubError,
): ParsedMethodRequest {
  if (!isJsonObject(request)) throw invalid('The method request must be a JSON object.');
  const { methodName } = request;
  if (
    typeof methodName !== 'string' ||
    !METHOD_NAME.test(methodName) ||
    METHOD_NAME_SEPARATORS.test(methodName)
  ) {
    throw invalid('methodName must be a non-empty name of printable ASCII without separators.');
  }
  checkPayloadSize(request.payload);
  return {
    methodName,
    payload: request.payload ?? null,
    responseTimeoutInSeconds: timeout(
      request.responseTimeoutInSeconds,
      'responseTimeoutInSeconds',
      { min: 5, max: 300, fallback: 30 },
      invalid,
    ),
    connectTimeoutInSeconds: timeout(
      request.connectTimeoutInSeconds,
      'connectTimeoutInSeconds',
      { min: 0, max: 300, fallback: 0 },
      invalid,
    ),
  };
}
