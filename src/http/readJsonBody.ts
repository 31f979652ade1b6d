import type { HttpRequest } from '@azure/functions';
import { ValidationError } from '../core/errors';
import { maxJsonDepth, pathBeyondDepth } from '../core/jsonSize';
import { HttpProblemError } from './httpProblemError';
import { locateJsonSyntaxError } from './jsonSyntaxError';

export type JsonBodySource = Pick<HttpRequest, 'headers' | 'body'>;

/**
 * Reads a JSON request body of at most `maxBytes`. Throws `HttpProblemError` 415 for a non-JSON
 * content type and 413 for an oversize body (read no further than the limit), and
 * `ValidationError` on field `body` when it is empty, not UTF-8, not JSON (naming the position) or
 * nested deeper than `maxJsonDepth`.
 */
export async function readJsonBody(request: JsonBodySource, maxBytes: number): Promise<unknown> {
  assertJsonContentType(request.headers.get('content-type'));
  const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declaredLength > maxBytes) throw bodyTooLarge(maxBytes);
  const bytes = await readAtMost(request.body, maxBytes);
  const text = decodeUtf8(bytes).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw bodyError('is empty; send a JSON object');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    const location = locateJsonSyntaxError(text);
    const where =
      location === undefined
        ? ''
        : ` at position ${location.position} (line ${location.line}, column ${location.column}): ${location.reason}`;
    throw bodyError(`is not valid JSON${where}`);
  }
  // Everything downstream (hashing, validation, storage) may recurse; refuse absurd nesting here.
  if (pathBeyondDepth(body) !== undefined) {
    throw bodyError(`nests objects or arrays deeper than ${maxJsonDepth} levels`);
  }
  return body;
}

const jsonMediaType = /^application\/(?:[\w.+-]+\+)?json$/i;

function assertJsonContentType(contentType: string | null): void {
  // A missing content type is read as JSON: the body decides.
  if (contentType === null || contentType.trim() === '') return;
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim());
  const charset = parameters
    .find((p) => p.toLowerCase().startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  if (jsonMediaType.test(mediaType) && (charset === undefined || charset.toLowerCase() === 'utf-8'))
    return;
  const shown = contentType.length > 80 ? `${contentType.slice(0, 77)}...` : contentType;
  throw new HttpProblemError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported media type',
    `Send the body as application/json in UTF-8 (got '${shown}').`,
    {
      accept: 'application/json',
    },
  );
}

async function readAtMost(body: JsonBodySource['body'], maxBytes: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (done || value === undefined) break;
      total += value.byteLength;
      if (total > maxBytes) throw bodyTooLarge(maxBytes);
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw bodyError('is not valid UTF-8');
  }
}

function bodyTooLarge(maxBytes: number): HttpProblemError {
  return new HttpProblemError(
    413,
    'PAYLOAD_TOO_LARGE',
    'Request body too large',
    `The body may hold at most ${maxBytes} bytes.`,
  );
}

function bodyError(message: string): ValidationError {
  return new ValidationError([{ field: 'body', message }]);
}
