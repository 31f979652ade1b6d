import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { HttpResponse, type Cookie, type HttpResponseInit } from '@azure/functions';

/**
 * Sends what a handler returned, converted as the worker converts it (`HttpResponseInit` or
 * `HttpResponse`, `jsonBody` winning over `body`). Stream bodies are piped as they come; all
 * others are sent whole with a content-length.
 */
export async function writeHttpResponse(target: ServerResponse, result: unknown): Promise<void> {
  // A handler that returns nothing answers 204, as the Functions host does.
  if (result === undefined || result === null) {
    target.writeHead(204).end();
    return;
  }
  if (typeof result !== 'object') {
    throw new TypeError(
      'The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".',
    );
  }
  const response = result instanceof HttpResponse ? result : new HttpResponse(result);
  const headers = responseHeaders(response);
  const body = response.body;
  if (body === null) {
    target.writeHead(response.status, headers).end();
  } else if (isStreamed(result)) {
    target.writeHead(response.status, headers);
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), target);
  } else {
    const bytes = Buffer.from(await response.arrayBuffer());
    target.writeHead(response.status, { ...headers, 'content-length': String(bytes.length) });
    target.end(bytes);
  }
}

function isStreamed(result: object): boolean {
  if (result instanceof HttpResponse) return true;
  const init = result as HttpResponseInit;
  if (init.jsonBody !== undefined) return false;
  const body: unknown = init.body;
  return typeof body === 'object' && body !== null && isStreamLike(body);
}

function isStreamLike(body: object): boolean {
  return Symbol.asyncIterator in body || 'getReader' in body;
}

function responseHeaders(response: HttpResponse): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value;
  }
  const cookies = [...response.headers.getSetCookie(), ...response.cookies.map(serializeCookie)];
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return headers;
}

export function serializeCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) {
    parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  }
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}
