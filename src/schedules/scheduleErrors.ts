import { DomainError } from '../core/errors';

export class ScheduleExistsError extends DomainError {
  readonly code = 'SCHEDULE_EXISTS';
  constructor(readonly scheduleId: string) {
    super(`Schedule ${scheduleId} already exists.`);
  }
}

export class ScheduleNotFoundError extends DomainError {
  readonly code = 'SCHEDULE_NOT_FOUND';
  constructor(readonly scheduleId: string) {
    super(`Schedule ${scheduleId} does not exist.`);
  }
}
