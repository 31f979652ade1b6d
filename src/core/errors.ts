/**
 * Every code a domain error can carry. The HTTP edge maps each one to a status in a table typed
 * against this union, so a new code without a status is a compile error, not a silent 500.
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'JOB_EXISTS'
  | 'JOB_NOT_FOUND'
  | 'ROLLOUT_EXISTS'
  | 'ROLLOUT_NOT_FOUND'
  | 'SCHEDULE_EXISTS'
  | 'SCHEDULE_NOT_FOUND'
  | 'CONFLICT'
  | 'CONCURRENT_UPDATE'
  | 'IDEMPOTENT_REQUEST_IN_FLIGHT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_CONTINUATION_TOKEN';

/** Domain errors carry a stable `code`; the HTTP edge maps codes to problem+json. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

export interface FieldError {
  /** Dotted path of the bad field, e.g. `cloudToDeviceMethod.payload`. */
  field: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/** A different request under an id or idempotency key that is already taken. */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

/** An ETag-guarded update lost the race; re-read and decide again. */
export class ConcurrencyError extends DomainError {
  readonly code = 'CONCURRENT_UPDATE';
}
