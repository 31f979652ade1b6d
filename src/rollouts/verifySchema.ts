import { z } from 'zod';
import { integerFrom } from '../core/operationSchemas';
import { isPlainObject } from '../core/validateTwinPatch';
import type { VerifySpec } from './rollout';

/** A week: past that a device that has not reported is not coming back within one rollout. */
const maxReportedWithinSeconds = 7 * 24 * 3600;

/**
 * `verify`: a twin rollout's device succeeds only once its reported properties equal the desired
 * ones written; still different `reportedWithinSeconds` after its chunk ended, it is `notConverged`.
 */
export const verifySchema = z
  .strictObject(
    {
      reportedWithinSeconds: integerFrom(
        1,
        maxReportedWithinSeconds,
        `a whole number of seconds from 1 to ${maxReportedWithinSeconds}`,
      ).meta({
        description:
          'How long after its chunk job ended a device has to report the desired values; then it is notConverged, which counts as failed.',
      }),
    },
    { error: (issue) => (isPlainObject(issue.input) ? undefined : 'must be an object') },
  )
  .transform((verify): VerifySpec => ({ ...verify }))
  .meta({
    description:
      'Twin-update rollouts only: count a device succeeded once its reported properties equal every desired property written (checked with queries that return only the devices still different).',
  });
