/** Domain errors carry a stable `code`; the HTTP edge maps codes to problem+json. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
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

export class JobExistsError extends DomainError {
  readonly code = 'JOB_EXISTS';
  constructor(readonly jobId: string) {
    super(`Job ${jobId} already exists.`);
  }
}

export class JobNotFoundError extends DomainError {
  readonly code = 'JOB_NOT_FOUND';
  constructor(readonly jobId: string) {
    super(`Job ${jobId} does not exist.`);
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
