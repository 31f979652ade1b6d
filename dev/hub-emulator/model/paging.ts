import { hubErrors } from '../hubError';
import type { PageRequest } from './types';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** The page size asked for, clamped to 1..1000 (100 when absent or not a number). */
export function pageSizeOf(page: PageRequest): number {
  const requested = page.pageSize;
  if (requested === undefined || !Number.isFinite(requested)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(requested)));
}

interface TokenBody {
  s: string;
  c: number[];
}

/**
 * An opaque continuation token: where the last page ended, bound to the query it came from
 * (`scope`), so a token cannot be replayed against a different query.
 */
export function encodeToken(scope: string, cursor: number[]): string {
  const body: TokenBody = { s: scope, c: cursor };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function isTokenBody(value: unknown): value is TokenBody {
  if (typeof value !== 'object' || value === null) return false;
  const { s, c } = value as Record<string, unknown>;
  return typeof s === 'string' && Array.isArray(c) && c.every((n) => Number.isInteger(n));
}

/** The cursor inside a token, or undefined for the first page; 400 for a foreign or broken one. */
export function decodeToken(token: string | undefined, scope: string): number[] | undefined {
  if (token === undefined || token === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    body = undefined;
  }
  if (!isTokenBody(body) || body.s !== scope) {
    throw hubErrors.genericBadRequest('The continuation token is not valid for this query.');
  }
  return body.c;
}
