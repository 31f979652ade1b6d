import { DomainError } from '../core/errors';

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
