import type { ServerResponse } from 'node:http';

/** Answers with an RFC 9457 problem document, the shape the app uses for its own errors. */
export function sendProblem(
  response: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
