import { z } from 'zod';
import { deviceOutcomes, deviceResultSchema, deviceResultsQuerySchema } from '../jobs/schemas';
import { rolloutIdSchema } from '../core/jobId';
import type { RolloutDeviceOutcome, RolloutDeviceResult } from './ports';

/** A job's device outcomes and `notConverged`, a verified twin update that did not take in time. */
export const rolloutDeviceOutcomes = [
  ...deviceOutcomes,
  'notConverged',
] as const satisfies readonly RolloutDeviceOutcome[];

/** Query parameters of `GET /rollouts/{rolloutId}/devices`, paged as a job's devices are. */
export const rolloutDevicesQuerySchema = z.object({
  outcome: z.enum(rolloutDeviceOutcomes).optional(),
  pageSize: deviceResultsQuerySchema.shape.pageSize,
  continuationToken: deviceResultsQuerySchema.shape.continuationToken,
  format: deviceResultsQuerySchema.shape.format,
});
export type RolloutDevicesQuery = z.output<typeof rolloutDevicesQuerySchema>;

export const rolloutDeviceSchema = deviceResultSchema.extend({
  rolloutId: rolloutIdSchema,
  outcome: z.enum(rolloutDeviceOutcomes).meta({
    description:
      "The latest attempt's outcome; a verified rollout's device is `running` while awaiting its reported properties.",
  }),
  verification: z.enum(['awaiting', 'converged', 'notConverged']).optional().meta({
    description:
      'Verified rollouts: the hub wrote the patch and the reported properties are awaited, matched, or did not match in time.',
  }),
  jobId: deviceResultSchema.shape.jobId.meta({
    description: 'The chunk job of the latest attempt.',
  }),
  attempt: z.int().min(1).meta({
    description:
      "The device's latest attempt, 1 for its first chunk; attempts are never repeated, so also how many it had.",
  }),
});

export const rolloutDeviceListResponseSchema = z.object({
  items: z.array(rolloutDeviceSchema),
  continuationToken: z.string().optional(),
});
export type RolloutDeviceResource = z.output<typeof rolloutDeviceSchema>;

/** A merged row as the API shows it (type-checked against the schema). */
export function toRolloutDeviceResource(row: RolloutDeviceResult): RolloutDeviceResource {
  return { ...row };
}
