import type { HttpRequest } from '@azure/functions';
import { ValidationError } from '../core/errors';
import { idempotencyKeyMaxLength } from '../core/idempotency';
import { parseJobId } from '../jobs/schemas';
import { parseRolloutId } from '../rollouts/rolloutRequestSchema';

/** The `{jobId}` route parameter, validated (400 naming `jobId` otherwise). */
export function jobIdParam(request: HttpRequest): string {
  return parseJobId(request.params.jobId);
}

/** The `{rolloutId}` route parameter, validated (400 naming `rolloutId` otherwise). */
export function rolloutIdParam(request: HttpRequest): string {
  return parseRolloutId(request.params.rolloutId);
}

const idempotencyKeyPattern = new RegExp(`^[\\x21-\\x7e]{1,${idempotencyKeyMaxLength}}$`);

/** The `Idempotency-Key` header: absent, or 1 to `idempotencyKeyMaxLength` visible ASCII characters. */
export function idempotencyKey(request: HttpRequest): string | undefined {
  const key = request.headers.get('idempotency-key');
  if (key === null) return undefined;
  if (!idempotencyKeyPattern.test(key)) {
    throw new ValidationError([
      {
        field: 'Idempotency-Key',
        message: `must be 1 to ${idempotencyKeyMaxLength} visible ASCII characters`,
      },
    ]);
  }
  return key;
}
