import { z } from 'zod';
import { queryConditionSchema } from '../core/operationSchemas';
import { isPlainObject } from '../core/validateTwinPatch';
import { deviceIdsBlobSchema } from './deviceIdsBlobSchema';
import { deviceIdsSchema } from './deviceIdsSchema';

/** The targets of a request, tagged as the stored `RolloutTargets` are; ids de-duplicated. */
export type RequestTargets =
  | { kind: 'queryCondition'; queryCondition: string }
  | { kind: 'deviceIds'; deviceIds: string[] }
  | { kind: 'deviceIdsBlob'; deviceIdsBlob: string };

const targetKinds = ['queryCondition', 'deviceIds', 'deviceIdsBlob'] as const;

export const targetsSchema = z
  .strictObject(
    {
      queryCondition: queryConditionSchema.optional(),
      deviceIds: deviceIdsSchema.optional(),
      deviceIdsBlob: deviceIdsBlobSchema.optional(),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : isPlainObject(issue.input)
            ? undefined
            : 'must be an object',
    },
  )
  .superRefine((targets, context) => {
    const given = targetKinds.filter((kind) => targets[kind] !== undefined);
    if (given.length === 1) return;
    context.addIssue({
      code: 'custom',
      message:
        given.length === 0
          ? 'needs one of queryCondition, deviceIds or deviceIdsBlob'
          : `takes one of queryCondition, deviceIds or deviceIdsBlob, not ${given.join(' and ')}`,
    });
  })
  .transform((targets): RequestTargets => {
    if (targets.queryCondition !== undefined) {
      return { kind: 'queryCondition', queryCondition: targets.queryCondition };
    }
    if (targets.deviceIds !== undefined) return { kind: 'deviceIds', deviceIds: targets.deviceIds };
    return { kind: 'deviceIdsBlob', deviceIdsBlob: targets.deviceIdsBlob ?? '' };
  })
  .meta({
    oneOf: targetKinds.map((kind) => ({ required: [kind] })),
    description: 'Exactly one of queryCondition, deviceIds or deviceIdsBlob.',
  });
