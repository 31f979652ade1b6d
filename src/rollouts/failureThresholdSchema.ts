import { z } from 'zod';
import { integerFrom } from '../core/operationSchemas';
import { isPlainObject } from '../core/validateTwinPatch';
import { maxRolloutDeviceIds } from './deviceIdList';
import { retryOutcomes, type FailureThreshold } from './rollout';

const percentError = 'must be a number from 0 to 100';

/**
 * `failureThreshold`: stop the rollout once this share (`percent`) or number (`count`) of its
 * finished devices failed, counted only after `minFinishedDevices` have finished.
 */
export const failureThresholdSchema = z
  .strictObject(
    {
      percent: z
        .number({ error: percentError })
        .min(0, { error: percentError })
        .max(100, { error: percentError })
        .optional()
        .meta({
          description: 'Share of the finished devices, 0 to 100; 0 stops at the first failure.',
        }),
      count: integerFrom(1, maxRolloutDeviceIds, 'a whole number of at least 1')
        .optional()
        .meta({ description: 'Number of failed devices.' }),
      minFinishedDevices: integerFrom(0, maxRolloutDeviceIds, 'a whole number of at least 0')
        .optional()
        .meta({ description: 'The threshold applies only once this many devices have finished.' }),
      outcomes: z
        .array(z.enum(retryOutcomes), { error: `must be an array of ${retryOutcomes.join(', ')}` })
        .min(1, 'must name at least one outcome')
        .refine(
          (outcomes) => new Set(outcomes).size === outcomes.length,
          'must not repeat an outcome',
        )
        .optional()
        .meta({
          description:
            'The failure classes that count (default: failed, timedOut, offline — every failure the hub counts). Chosen classes are counted from the imported results, after each chunk.',
        }),
    },
    { error: (issue) => (isPlainObject(issue.input) ? undefined : 'must be an object') },
  )
  .superRefine((threshold, context) => {
    const given = (['percent', 'count'] as const).filter((kind) => threshold[kind] !== undefined);
    if (given.length === 1) return;
    context.addIssue({
      code: 'custom',
      message: given.length === 0 ? 'needs percent or count' : 'takes percent or count, not both',
    });
  })
  .transform((threshold): FailureThreshold => ({
    ...(threshold.percent === undefined ? {} : { percent: threshold.percent }),
    ...(threshold.count === undefined ? {} : { count: threshold.count }),
    ...(threshold.minFinishedDevices === undefined
      ? {}
      : { minFinishedDevices: threshold.minFinishedDevices }),
    ...(threshold.outcomes === undefined ? {} : { outcomes: [...threshold.outcomes] }),
  }))
  .meta({
    oneOf: [{ required: ['percent'] }, { required: ['count'] }],
    description:
      'Stop the rollout when this many of its finished devices failed (by default every failure class: failed, timed out, offline), cumulative over its waves.',
  });
