import type { ServerResponse } from 'node:http';
import { problemType, type EdgeProblemCode } from '../../src/http/httpProblemError';

/**
 * Answers with an RFC 9457 problem document in the shape the app uses for its own errors: a
 * stable `code` and the `type` made from it.
 */
export function sendProblem(
  response: ServerResponse,
  problem: { status: number; code: EdgeProblemCode; title: string; detail: string },
  headers: Record<string, string> = {},
): void {
  const { status, code, title, detail } = problem;
  const body = JSON.stringify({ type: problemType(code), title, status, detail, code });
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
