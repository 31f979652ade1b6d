import { z } from 'zod';

/** Marks the file as ours, so a stray JSON file in the directory is refused by name. */
export const STATE_FORMAT = 'hubjobs-hub-emulator-state';
export const STATE_VERSION = 1;

const jsonObject = z.record(z.string(), z.unknown());
const millis = z.number().finite();

/** A device (or module twin) as kept in memory; `$` holds the bookkeeping, checked loosely. */
const deviceSchema = z.object({
  deviceId: z.string().min(1),
  etag: z.string(),
  version: z.number().int(),
  status: z.enum(['enabled', 'disabled']),
  connectionState: z.enum(['Connected', 'Disconnected']),
  tags: jsonObject,
  properties: z.object({ desired: jsonObject, reported: jsonObject }),
  $: z.looseObject({
    order: z.number().int(),
    authenticationType: z.string(),
    deviceEtagVersion: z.number().int(),
    desiredVersion: z.number().int(),
    reportedVersion: z.number().int(),
  }),
});

const recordSchema = z.object({
  deviceId: z.string(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'canceled']),
  createdAt: millis,
  updatedAt: millis,
  startedAt: millis.optional(),
  endedAt: millis.optional(),
  response: z.object({ status: z.number(), payload: z.unknown() }).optional(),
  error: z.object({ code: z.string(), description: z.string() }).optional(),
});

const statsSchema = z.object({
  deviceCount: z.number().int(),
  failedCount: z.number().int(),
  succeededCount: z.number().int(),
  runningCount: z.number().int(),
  pendingCount: z.number().int(),
});

const jobSchema = z.object({
  spec: z.object({
    jobId: z.string(),
    type: z.enum(['scheduleDeviceMethod', 'scheduleUpdateTwin']),
    queryCondition: z.string(),
    maxExecutionTimeInSeconds: z.number().int(),
    method: z
      .object({
        methodName: z.string(),
        payload: z.unknown(),
        responseTimeoutInSeconds: z.number(),
        connectTimeoutInSeconds: z.number(),
      })
      .optional(),
    twin: z
      .object({
        patch: z.object({ tags: jsonObject.optional(), desired: jsonObject.optional() }),
        etag: z.string().optional(),
        original: jsonObject,
      })
      .optional(),
  }),
  seq: z.number().int(),
  createdAt: millis,
  startAt: millis,
  status: z.enum(['queued', 'scheduled', 'running', 'completed', 'failed', 'cancelled']),
  startedAt: millis.optional(),
  endAt: millis.optional(),
  failureReason: z.string().optional(),
  statusMessage: z.string().optional(),
  stats: statsSchema,
  devices: z.array(recordSchema),
  nextDevice: z.number().int(),
});

const moduleSchema = z.object({
  moduleId: z.string(),
  managedBy: z.string().nullable(),
  twin: deviceSchema,
});

/** What `--state-dir` holds between runs: the registry, twins, modules, configurations and jobs. */
export const persistedStateSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  savedAt: z.string(),
  seed: z.number(),
  nextOrder: z.number().int(),
  devices: z.array(deviceSchema),
  modules: z.array(moduleSchema),
  configurationVersion: z.number().int(),
  configurations: z.array(z.looseObject({ id: z.string(), etag: z.string() })),
  nextJobSeq: z.number().int(),
  jobs: z.array(jobSchema),
});

export type PersistedState = z.infer<typeof persistedStateSchema>;
export type PersistedJob = z.infer<typeof jobSchema>;
