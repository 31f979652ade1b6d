import { z } from 'zod';
import { hubErrors } from '../hubError';

/** How a device answers; at most one per device, the rest of a behaviour combines with it. */
const answerModes = ['fail', 'timeOut', 'offline'] as const;

/** A sticky behaviour set through the admin API; it stays until it is replaced or cleared. */
export const behaviourSchema = z
  .strictObject({
    /** Methods answer this (non-2xx) device status; twin updates in jobs fail. */
    fail: z.strictObject({ status: z.number().int().min(300).max(599).default(500) }).optional(),
    /** Methods time out (504) once the device's latency has passed. */
    timeOut: z.literal(true).optional(),
    /** Methods answer 404103; reported properties stay as they are. */
    offline: z.literal(true).optional(),
    /** Desired patches are stored but never echoed into reported properties. */
    neverReport: z.literal(true).optional(),
    /** The device answers methods after this latency instead of `--method-latency-ms`. */
    latencyMs: z.number().int().min(0).max(600_000).optional(),
  })
  .refine((behaviour) => Object.keys(behaviour).length > 0, {
    message: 'a behaviour needs one of fail, timeOut, offline, neverReport, latencyMs',
  })
  .refine((behaviour) => answerModes.filter((mode) => behaviour[mode] !== undefined).length <= 1, {
    message: 'fail, timeOut and offline exclude each other',
  });

export type Behaviour = z.output<typeof behaviourSchema>;
export type BehaviourSpec = z.input<typeof behaviourSchema>;
/** What a device keeps beside its online switch (`offline` lives in `forcedOffline`). */
export type StoredBehaviour = Omit<Behaviour, 'offline'>;

const deviceIdsSchema = z.array(z.string().min(1).max(128)).min(1).max(100_000);
const conditionSchema = z.string().trim().min(1).max(8192);

const selectorFields = {
  deviceIds: deviceIdsSchema.optional(),
  condition: conditionSchema.optional(),
};
const oneSelector = (selector: { deviceIds?: string[]; condition?: string }) =>
  (selector.deviceIds === undefined) !== (selector.condition === undefined);
const oneSelectorMessage = { message: 'give either deviceIds or condition' };

/** Which devices a request is about: a list of ids or a query condition, never both. */
export const selectorSchema = z
  .strictObject(selectorFields)
  .refine(oneSelector, oneSelectorMessage);
export type DeviceSelector = z.output<typeof selectorSchema>;

export const setBehaviourSchema = z
  .strictObject({ ...selectorFields, behaviour: behaviourSchema })
  .refine(oneSelector, oneSelectorMessage);

/** Parses an admin request body; a bad one is a 400 that lists every problem. */
export function parseAdminBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  throw hubErrors.argumentInvalid(`Invalid ${what}: ${issues.join('; ')}`);
}
