import { z } from 'zod';
import { isPlainObject } from '../core/validateTwinPatch';
import { methodJobRequestSchema, twinJobRequestSchema } from '../jobs/jobCreateRequestSchema';

/** A rollout's operation: a job's `type` with its method or twin update, under the same rules. */
export const methodOperationSchema = methodJobRequestSchema
  .pick({ type: true, cloudToDeviceMethod: true, updateTwin: true })
  .meta({ title: 'Direct method operation' });

export const twinOperationSchema = twinJobRequestSchema
  .pick({ type: true, updateTwin: true, cloudToDeviceMethod: true })
  .meta({ title: 'Twin update operation' });

export const rolloutOperationSchema = z.discriminatedUnion(
  'type',
  [methodOperationSchema, twinOperationSchema],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : isPlainObject(issue.input)
          ? 'must be scheduleDeviceMethod or scheduleUpdateTwin'
          : 'must be a JSON object',
  },
);
