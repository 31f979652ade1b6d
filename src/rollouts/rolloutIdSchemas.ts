import { z } from 'zod';
import { ValidationError } from '../core/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../core/fieldErrors';
import { jobListQuerySchema } from '../jobs/schemas';
import { rolloutStatuses } from './rollout';

/** 40 characters leave room for `-w<n>-c<n>-a<n>` within the hub's 64-character job ids. */
export const rolloutIdPattern = /^[A-Za-z0-9-]{1,40}$/;

export const rolloutIdSchema = z
  .string()
  .regex(rolloutIdPattern, { error: 'must be 1 to 40 US-ASCII letters, digits or dashes' })
  .meta({
    description: 'The rollout id; its chunk jobs are named after it.',
    examples: ['tariff-b'],
  });

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
