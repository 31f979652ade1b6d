import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpTriggerOptions } from '@azure/functions';

export interface FunctionKeyPolicy {
  checkFunctionKeys: boolean;
  functionKey?: string;
}

/**
 * Like Core Tools, keys are not checked locally unless asked; when they are, a non-anonymous
 * function needs the key in `x-functions-key` or the `code` query parameter.
 */
export function isAuthorized(
  authLevel: HttpTriggerOptions['authLevel'],
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  policy: FunctionKeyPolicy,
): boolean {
  if (!policy.checkFunctionKeys || (authLevel ?? 'anonymous') === 'anonymous') return true;
  const expected = policy.functionKey;
  if (expected === undefined) return false;
  const header = headers['x-functions-key'];
  const offered = (Array.isArray(header) ? header[0] : header) ?? query.get('code') ?? '';
  return sameSecret(offered, expected);
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
