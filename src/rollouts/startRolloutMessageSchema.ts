import { z } from 'zod';
import { rolloutIdSchema } from '../core/jobId';
import { rolloutRequestSchema } from './rolloutRequestSchema';

/**
 * A producer's rollout: the body of `POST /rollouts`, and optionally its id. Without one, the id is
 * derived from the queue message's id, so a redelivered message starts nothing twice.
 */
export const startRolloutMessageSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('startRollout'),
    rolloutId: rolloutIdSchema.optional(),
    rollout: rolloutRequestSchema,
  })
  .meta({
    description:
      'Start a rollout (the body of POST /rollouts). A device list too large for a 64 KB message goes in a blob, named by `rollout.targets.deviceIdsBlob`.',
  });
