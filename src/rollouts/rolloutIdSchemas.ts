import { z } from 'zod';
import { ValidationError } from '../core/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../core/fieldErrors';
import { jobListQuerySchema } from '../jobs/schemas';
import { rolloutIdSchema } from '../core/jobId';
import { rolloutStatuses } from './rollout';

export { rolloutIdPattern, rolloutIdSchema } from '../core/jobId';

/** Throws `ValidationError` on field `rolloutId` unless the id matches `^[A-Za-z0-9-]{1,40}$`. */
export function parseRolloutId(value: unknown): string {
  const parsed = rolloutIdSchema.safeParse(value, { error: parseErrorMap });
  if (!parsed.success) {
    throw new ValidationError(fieldErrorsFromZod(parsed.error.issues, 'rolloutId'));
  }
  return parsed.data;
}

/** Query parameters of `GET /rollouts` (all strings on the wire), paged as `GET /jobs` is. */
export const rolloutListQuerySchema = z.object({
  status: z.enum(rolloutStatuses).optional(),
  createdAfter: jobListQuerySchema.shape.createdAfter,
  pageSize: jobListQuerySchema.shape.pageSize,
  continuationToken: jobListQuerySchema.shape.continuationToken,
});
export type RolloutListQuery = z.output<typeof rolloutListQuerySchema>;
