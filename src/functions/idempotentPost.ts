import type { HttpResponseInit } from '@azure/functions';
import { withIdempotency, type StoredResponse } from '../core/idempotency';
import { hashRequest } from '../core/requestHash';
import type { HttpInvocation } from './httpEdge';
import { toHttpResponse } from './jobResponses';
import { idempotencyKey } from './requestParams';

/**
 * Runs a POST under its `Idempotency-Key` (README, HTTP API): scoped per function, the request told apart
 * by method, path and (canonical) body, so a replay gets the first response.
 */
export async function idempotentPost(
  invocation: HttpInvocation,
  scope: string,
  body: unknown,
  handle: () => Promise<StoredResponse>,
): Promise<HttpResponseInit> {
  const { request, deps } = invocation;
  const path = new URL(request.url).pathname;
  const key = idempotencyKey(request);
  // Hashed only when a key asks for it: a rollout body may hold a million ids.
  const requestHash = key === undefined ? '' : hashRequest({ method: request.method, path, body });
  return toHttpResponse(await withIdempotency({ scope, key, requestHash }, deps, handle));
}
