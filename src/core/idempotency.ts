import { DomainError } from './errors';
import type { Clock } from './clock';
import type { IdempotencyRecord, IdempotencyStore } from './idempotencyStore';

/** Idempotency keys are kept for a day (README, HTTP API). */
export const idempotencyTtlMs = 24 * 3600 * 1000;

/** The longest `Idempotency-Key` accepted (visible ASCII characters). */
export const idempotencyKeyMaxLength = 200;

/** A claim whose request never finished (its process died) frees the key after this long. */
export const inFlightLeaseMs = 10 * 60 * 1000;

/** The same `Idempotency-Key` was used for a different request (422). */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was already used for a different request.');
  }
}

/** The first request with this `Idempotency-Key` is still being processed (409). */
export class IdempotentRequestInFlightError extends DomainError {
  readonly code = 'IDEMPOTENT_REQUEST_IN_FLIGHT';
  constructor() {
    super('A request with this Idempotency-Key is still in progress; retry later.');
  }
}

export type StoredResponse = NonNullable<IdempotencyRecord['response']>;

export interface IdempotentRequest {
  /** Per route, e.g. `createJob`. */
  scope: string;
  /** The `Idempotency-Key` header; absent means "not idempotent", the handler just runs. */
  key?: string;
  /** Hash of method, path and body: tells a replay from a different request. */
  requestHash: string;
}

/**
 * Runs `handle` once per key: a replay gets the stored response, a different request under the same
 * key a 422, a replay while the first is running a 409. Server errors are not stored, and a throw
 * releases the claim, so the client can retry.
 */
export async function withIdempotency(
  request: IdempotentRequest,
  deps: { idempotencyStore: IdempotencyStore; clock: Clock },
  handle: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const { scope, key, requestHash } = request;
  if (key === undefined) return handle();
  const store = deps.idempotencyStore;
  const expiresIn = (ms: number) => new Date(deps.clock.now().getTime() + ms).toISOString();
  const claim: IdempotencyRecord = {
    requestHash,
    state: 'inFlight',
    expiresAt: expiresIn(inFlightLeaseMs),
  };
  const existing = await claimFresh(store, scope, key, claim, deps.clock);
  if (existing !== undefined) return replay(existing, requestHash);
  let response: StoredResponse;
  try {
    response = await handle();
  } catch (error) {
    await store.release(scope, key);
    throw error;
  }
  if (response.status >= 500) await store.release(scope, key);
  else {
    const done: IdempotencyRecord = {
      requestHash,
      state: 'done',
      response,
      expiresAt: expiresIn(idempotencyTtlMs),
    };
    await store.complete(scope, key, done);
  }
  return response;
}

/** Claims the key; an expired record is released and the key claimed again. */
async function claimFresh(
  store: IdempotencyStore,
  scope: string,
  key: string,
  record: IdempotencyRecord,
  clock: Clock,
): Promise<IdempotencyRecord | undefined> {
  const existing = await store.claim(scope, key, record);
  if (existing === undefined || Date.parse(existing.expiresAt) > clock.now().getTime()) {
    return existing;
  }
  await store.release(scope, key);
  return store.claim(scope, key, record);
}

function replay(existing: IdempotencyRecord, requestHash: string): StoredResponse {
  if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  if (existing.state !== 'done' || existing.response === undefined) {
    throw new IdempotentRequestInFlightError();
  }
  return existing.response;
}
