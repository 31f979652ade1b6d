import { z } from 'zod';
import { deviceIdPattern, deviceIdProblem } from '../core/deviceIdCondition';
import {
  cloudToDeviceMethodSchema,
  integerFrom,
  isoInstantSchema,
  queryConditionSchema,
  updateTwinSchema,
} from '../core/operationSchemas';
import { isPlainObject } from '../core/validateTwinPatch';

export { isoInstantSchema, maxMethodPayloadBytes } from '../core/operationSchemas';

const deviceIdsSchema = z
  .array(z.string().regex(deviceIdPattern, { error: (issue) => deviceIdProblem(issue.input) }))
  .min(1, 'must hold at least one device id')
  .superRefine((deviceIds, context) => {
    const firstIndex = new Map<string, number>();
    deviceIds.forEach((deviceId, index) => {
      const first = firstIndex.get(deviceId);
      if (first === undefined) firstIndex.set(deviceId, index);
      else
        context.addIssue({ code: 'custom', path: [index], message: `repeats deviceIds.${first}` });
    });
  })
  .meta({
    uniqueItems: true,
    description:
      "Target devices; hubjobs builds deviceId IN [...] from them. Ids with a quote (') are refused.",
  });

const sharedFields = {
  queryCondition: queryConditionSchema.optional(),
  deviceIds: deviceIdsSchema.optional(),
  startTime: isoInstantSchema.optional(),
  maxExecutionTimeInSeconds: integerFrom(1, Number.MAX_SAFE_INTEGER, 'a positive integer').default(
    3600,
  ),
};

const exactlyOneTarget = { oneOf: [{ required: ['queryCondition'] }, { required: ['deviceIds'] }] };

export const methodJobRequestSchema = z
  .strictObject({
    type: z.literal('scheduleDeviceMethod'),
    cloudToDeviceMethod: cloudToDeviceMethodSchema,
    updateTwin: z.never({ error: 'is not allowed when type is scheduleDeviceMethod' }).optional(),
    ...sharedFields,
  })
  .meta({ title: 'Direct method job', ...exactlyOneTarget });

export const twinJobRequestSchema = z
  .strictObject({
    type: z.literal('scheduleUpdateTwin'),
    updateTwin: updateTwinSchema,
    cloudToDeviceMethod: z
      .never({ error: 'is not allowed when type is scheduleUpdateTwin' })
      .optional(),
    ...sharedFields,
  })
  .meta({ title: 'Twin update job', ...exactlyOneTarget });

/** The body of `POST /jobs` and `PUT /jobs/{jobId}`: the hub's job request, targets by query or ids. */
export const jobCreateRequestSchema = z
  .discriminatedUnion('type', [methodJobRequestSchema, twinJobRequestSchema], {
    error: (issue) =>
      isPlainObject(issue.input)
        ? 'must be scheduleDeviceMethod or scheduleUpdateTwin'
        : 'must be a JSON object',
  })
  .superRefine((request, context) => {
    const hasQuery = request.queryCondition !== undefined;
    const hasDeviceIds = request.deviceIds !== undefined;
    if (hasQuery && hasDeviceIds) {
      context.addIssue({
        code: 'custom',
        path: ['deviceIds'],
        message: 'cannot be combined with queryCondition; give one of them',
      });
    } else if (!hasQuery && !hasDeviceIds) {
      context.addIssue({
        code: 'custom',
        path: ['queryCondition'],
        message: 'queryCondition or deviceIds is required',
      });
    }
  });

export type JobCreateRequest = z.output<typeof jobCreateRequestSchema>;
