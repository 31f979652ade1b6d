import { z } from 'zod';
import { deviceOutcomes, deviceResultSchema, deviceResultsQuerySchema } from '../jobs/schemas';
import { rolloutIdSchema } from '../core/jobId';
import type { RolloutDeviceResult } from './ports';

/** Query parameters of `GET /rollouts/{rolloutId}/devices`, paged as a job's devices are. */
export const rolloutDevicesQuerySchema = z.object({
  outcome: z.enum(deviceOutcomes).optional(),
  pageSize: deviceResultsQuerySchema.shape.pageSize,
  continuationToken: deviceResultsQuerySchema.shape.continuationToken,
  format: deviceResultsQuerySchema.shape.format,
});
export type RolloutDevicesQuery = z.output<typeof rolloutDevicesQuerySchema>;

export const rolloutDeviceSchema = deviceResultSchema.extend({
  rolloutId: rolloutIdSchema,
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
