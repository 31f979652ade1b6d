import { createHash } from 'node:crypto';
import { DomainError, type FieldError } from './errors';
import { canonicalJson } from './requestHash';

/**
 * A continuation token the caller cannot use: not one this service issued, cut short, altered,
 * or issued for another listing (another filter, route or job). 400 naming `continuationToken`.
 */
export class InvalidContinuationTokenError extends DomainError {
  readonly code = 'INVALID_CONTINUATION_TOKEN';
  readonly errors: FieldError[];
  constructor(reason: string) {
    super(`continuationToken: ${reason}; start again without it`);
    this.errors = [{ field: 'continuationToken', message: reason }];
  }
}

/** What a token is bound to: the listing it continues (route, job, filter; not the page size). */
export type TokenBinding = Record<string, unknown>;

interface Envelope {
  v: 1;
  /** The store's own token, passed back to it as it was. */
  t: string;
  /** Hash of the binding and `t`: a token is good only for the listing it came from. */
  h: string;
}

function digest(binding: TokenBinding, inner: string): string {
  return createHash('sha256')
    .update(canonicalJson({ binding, inner }))
    .digest('base64url')
    .slice(0, 22);
}

/** Wraps the store's token (base64url JSON) so it can only continue this listing. */
export function sealContinuationToken(inner: string, binding: TokenBinding): string {
  const envelope: Envelope = { v: 1, t: inner, h: digest(binding, inner) };
  return Buffer.from(JSON.stringify(envelope)).toString('base64url');
}

/** The store's token inside `token`, or `InvalidContinuationTokenError`. */
export function openContinuationToken(token: string, binding: TokenBinding): string {
  const envelope = decode(token);
  if (envelope === undefined)
    throw new InvalidContinuationTokenError('is not a token this service issued');
  if (envelope.h !== digest(binding, envelope.t)) {
    throw new InvalidContinuationTokenError(
      'was issued for another listing (filter, route or job) or was altered',
    );
  }
  return envelope.t;
}

function decode(token: string): Envelope | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { v, t, h } = value as Record<string, unknown>;
    if (v !== 1 || typeof t !== 'string' || t === '' || typeof h !== 'string') return undefined;
    return { v, t, h };
  } catch {
    return undefined;
  }
}
