import { z } from 'zod';
import { integerFrom, queryConditionSchema } from '../core/operationSchemas';
import { isPlainObject } from '../core/validateTwinPatch';
import { maxRolloutDeviceIds } from './deviceIdList';
import type { WavesSpec } from './rollout';

export const maxWaveGroups = 100;
const percentError = 'must be a number greater than 0 and at most 100';
const waveKinds = ['count', 'percent', 'groups'] as const;

/** `waves`: by size (`count` or `percent` of the targets) or by ordered group conditions. */
export const wavesSchema = z
  .strictObject(
    {
      count: integerFrom(1, maxRolloutDeviceIds, `a whole number from 1 to ${maxRolloutDeviceIds}`)
        .optional()
        .meta({ description: 'Devices per wave; the last wave holds the rest.' }),
      percent: z
        .number({ error: percentError })
        .gt(0, { error: percentError })
        .max(100, { error: percentError })
        .optional()
        .meta({ description: 'Each wave holds ceil(percent % of the targets) devices.' }),
      groups: z
        .array(queryConditionSchema, {
          error: 'must be an array of query conditions',
        })
        .min(1, 'must hold at least one group condition')
        .max(maxWaveGroups, `must hold at most ${maxWaveGroups} group conditions`)
        .optional()
        .meta({
          description:
            'Ordered conditions, one wave each, AND-ed with the targets; a device is in the first group it matches.',
        }),
    },
    { error: (issue) => (isPlainObject(issue.input) ? undefined : 'must be an object') },
  )
  .superRefine((waves, context) => {
    const given = waveKinds.filter((kind) => waves[kind] !== undefined);
    if (given.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? 'needs one of count, percent or groups'
            : `takes one of count, percent or groups, not ${given.join(' and ')}`,
      });
    }
  })
  .transform((waves): WavesSpec => {
    if (waves.count !== undefined) return { count: waves.count };
    if (waves.percent !== undefined) return { percent: waves.percent };
    return { groups: waves.groups ?? [] };
  })
  .meta({
    oneOf: waveKinds.map((kind) => ({ required: [kind] })),
    description: 'Optional; one wave when absent. Each wave starts once the previous one ended.',
  });
