import type { IncomingMessage } from 'node:http';
import { HttpRequest } from '@azure/functions';

/** Azure's front end refuses request bodies above 100 MB; the app enforces its own, lower cap. */
export const maxRequestBodyBytes = 100 * 1024 * 1024;

/**
 * The whole body, or `undefined` as soon as it exceeds `maxBytes`; the rest is read and dropped,
 * so the connection can still carry the 413 answer.
 */
export function readRequestBody(
  request: IncomingMessage,
  maxBytes = maxRequestBodyBytes,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = Number(request.headers['content-length'] ?? 0) > maxBytes;
    if (tooLarge) resolve(undefined);
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      total += chunk.length;
      tooLarge = total > maxBytes;
      if (tooLarge) resolve(undefined);
      else chunks.push(chunk);
    });
    request.once('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** The URL the function sees: the caller's Host header, like behind the Functions front end. */
export function requestUrl(request: IncomingMessage, port: number): URL {
  const fallback = `http://127.0.0.1:${port}`;
  const target = request.url ?? '/';
  const host = request.headers.host;
  return (
    (host === undefined ? null : URL.parse(target, `http://${host}`)) ??
    URL.parse(target, fallback) ??
    new URL('/', fallback)
  );
}

export function toHttpRequest(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  params: Record<string, string>,
): HttpRequest {
  return new HttpRequest({
    method: request.method ?? 'GET',
    url: url.href,
    headers: flattenHeaders(request),
    params,
    body: { bytes: body },
  });
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
