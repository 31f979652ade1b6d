import { z } from 'zod';
import { buildDeviceIdCondition } from '../core/deviceIdCondition';
import { ValidationError } from '../core/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../core/fieldErrors';
import { jobStatuses, jobTypes, type JobSpec } from './job';
import {
  isoInstantSchema,
  jobCreateRequestSchema,
  type JobCreateRequest,
} from './jobCreateRequestSchema';
import { deviceJobStatuses, jobIdSchema } from './jobResourceSchema';
import { rolloutIdSchema } from '../core/jobId';
import { maxJsonDepth, pathBeyondDepth } from '../core/jsonSize';
import { reservedTwinKeyErrors } from '../core/validateTwinPatch';

export * from './jobCreateRequestSchema';
export * from './jobResourceSchema';

/** Validates a create body against the hub's rules; throws `ValidationError` naming each bad field. */
export function parseJobCreateRequest(body: unknown): JobSpec {
  refuseDeepNesting(body);
  const parsed = jobCreateRequestSchema.safeParse(body, { error: parseErrorMap });
  const errors = [
    ...(parsed.success ? [] : fieldErrorsFromZod(parsed.error.issues, 'body')),
    ...reservedTwinKeyErrors(body),
  ];
  if (!parsed.success || errors.length > 0) throw new ValidationError(errors);
  return toJobSpec(parsed.data);
}

function refuseDeepNesting(body: unknown): void {
  const path = pathBeyondDepth(body);
  if (path === undefined) return;
  const field = path.length === 0 ? 'body' : path.slice(0, 3).join('.');
  throw new ValidationError([
    { field, message: `nests objects or arrays deeper than ${maxJsonDepth} levels` },
  ]);
}

function toJobSpec(request: JobCreateRequest): JobSpec {
  const queryCondition = request.queryCondition ?? buildDeviceIdCondition(request.deviceIds ?? []);
  const common = {
    queryCondition,
    maxExecutionTimeInSeconds: request.maxExecutionTimeInSeconds,
    // The hub gets UTC, as the SDK sends it.
    ...(request.startTime === undefined
      ? {}
      : { startTime: new Date(request.startTime).toISOString() }),
  };
  if (request.type === 'scheduleDeviceMethod') {
    return { type: request.type, cloudToDeviceMethod: request.cloudToDeviceMethod, ...common };
  }
  return { type: request.type, updateTwin: request.updateTwin, ...common };
}

/** Throws `ValidationError` on field `jobId` unless the id matches `^[A-Za-z0-9-]{1,64}$`. */
export function parseJobId(value: unknown): string {
  const parsed = jobIdSchema.safeParse(value, { error: parseErrorMap });
  if (!parsed.success) throw new ValidationError(fieldErrorsFromZod(parsed.error.issues, 'jobId'));
  return parsed.data;
}

export const maxPageSize = 1000;
export const defaultPageSize = 100;

const pageSizeMessage = `must be a decimal integer from 1 to ${maxPageSize}`;

/** Digits only, as a body's integer would be: no hex, exponent, sign, blanks or leading zeros. */
const pageSizeSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,3}$/, { error: pageSizeMessage })
  .transform(Number)
  .pipe(z.int().min(1, { error: pageSizeMessage }).max(maxPageSize, { error: pageSizeMessage }))
  .default(defaultPageSize)
  .meta({
    description: `Items per page, ${pageSizeMessage.slice(8)}; ${defaultPageSize} if absent.`,
  });

const continuationTokenSchema = z
  .string()
  .max(4096)
  .optional()
  .meta({ description: 'From the previous page, with the same filter; opaque.' });

/** Query parameters of `GET /jobs` (all strings on the wire). */
export const jobListQuerySchema = z.object({
  status: z.enum(jobStatuses).optional(),
  rolloutId: rolloutIdSchema
    .optional()
    .meta({ description: "A rollout's chunk jobs; without it, only jobs outside rollouts." }),
  type: z.enum(jobTypes).optional(),
  createdAfter: isoInstantSchema.optional(),
  pageSize: pageSizeSchema,
  continuationToken: continuationTokenSchema,
});
export type JobListQuery = z.output<typeof jobListQuerySchema>;

/** Query parameters of `GET /jobs/{jobId}/devices`. */
export const deviceResultsQuerySchema = z.object({
  status: z.enum(deviceJobStatuses).optional(),
  pageSize: pageSizeSchema,
  continuationToken: continuationTokenSchema,
  format: z.enum(['json', 'csv']).default('json'),
});
export type DeviceResultsQuery = z.output<typeof deviceResultsQuerySchema>;
