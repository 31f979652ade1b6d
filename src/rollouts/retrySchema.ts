import { z } from 'zod';
import { integerFrom } from '../core/operationSchemas';
import { isPlainObject } from '../core/validateTwinPatch';
import { retryOutcomes, type RetrySpec } from './rollout';

/**
 * `retry`: devices whose latest outcome is one of `outcomes` get another attempt in a retry chunk
 * once the attempt's chunks have ended, up to `maxAttempts` attempts in all.
 */
export const retrySchema = z
  .strictObject(
    {
      outcomes: z
        .array(z.enum(retryOutcomes), { error: `must be an array of ${retryOutcomes.join(', ')}` })
        .min(1, 'must name at least one outcome')
        .refine(
          (outcomes) => new Set(outcomes).size === outcomes.length,
          'must not repeat an outcome',
        )
        .meta({ description: 'Which latest outcomes get another attempt.' }),
      maxAttempts: integerFrom(2, 10).meta({
        description: 'Attempts in all, the first included.',
      }),
      delaySeconds: integerFrom(0, 86_400, 'a whole number of seconds from 0 to 86400')
        .default(0)
        .meta({
          description: "Pause after an attempt's chunks have ended, before the retry chunks.",
        }),
    },
    { error: (issue) => (isPlainObject(issue.input) ? undefined : 'must be an object') },
  )
  .transform((retry): RetrySpec => ({ ...retry, outcomes: [...retry.outcomes] }));
