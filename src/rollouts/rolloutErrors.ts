import { DomainError } from '../core/errors';

export class RolloutExistsError extends DomainError {
  readonly code = 'ROLLOUT_EXISTS';
  constructor(readonly rolloutId: string) {
    super(`Rollout ${rolloutId} already exists.`);
  }
}

export class RolloutNotFoundError extends DomainError {
  readonly code = 'ROLLOUT_NOT_FOUND';
  constructor(readonly rolloutId: string) {
    super(`Rollout ${rolloutId} does not exist.`);
  }
}
