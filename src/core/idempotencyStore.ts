import type { StorageCallOptions } from './storageCallOptions';

/** A stored HTTP response, so an `Idempotency-Key` replay gets the first answer. */
export interface IdempotencyRecord {
  requestHash: string;
  state: 'inFlight' | 'done';
  response?: { status: number; headers: Record<string, string>; body: unknown };
  expiresAt: string;
}

export interface IdempotencyStore {
  /** Claims the key; returns the existing record instead when the key is already known. */
  claim(
    scope: string,
    key: string,
    record: IdempotencyRecord,
    options?: StorageCallOptions,
  ): Promise<IdempotencyRecord | undefined>;
  complete(
    scope: string,
    key: string,
    record: IdempotencyRecord,
    options?: StorageCallOptions,
  ): Promise<void>;
  release(scope: string, key: string, options?: StorageCallOptions): Promise<void>;
}
