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
  ): Promise<IdempotencyRecord | undefined>;
  complete(scope: string, key: string, record: IdempotencyRecord): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}
