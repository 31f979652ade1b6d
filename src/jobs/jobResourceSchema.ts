import { z } from 'zod';
import type { DeviceOutcome, DeviceResult, Job } from './job';
import { jobStatuses, jobTypes, terminalJobStatuses } from './job';
import { jobIdSchema } from '../core/jobId';

export { jobIdPattern, jobIdSchema } from '../core/jobId';

const timestamp = z.iso.datetime({ offset: true });

export const deviceJobStatisticsSchema = z
  .object({
    deviceCount: z.int(),
    failedCount: z.int(),
    succeededCount: z.int(),
    runningCount: z.int(),
    pendingCount: z.int(),
    cancelledCount: z.int().meta({
      description:
        'Devices never reached because the job was cancelled, counted from its device results (the hub reports none); final once deviceResults.complete.',
    }),
  })
  .meta({
    description:
      'Once deviceResults.complete: deviceCount = succeededCount + failedCount + cancelledCount + runningCount + pendingCount.',
  });

/** A job as the API returns it: the stored job without hubjobs' bookkeeping. */
export const jobResourceSchema = z.object({
  jobId: jobIdSchema,
  type: z.enum(jobTypes),
  status: z.enum(jobStatuses),
  statusMessage: z.string().optional(),
  failureReason: z.string().optional(),
  statistics: deviceJobStatisticsSchema,
  queryCondition: z.string(),
  cloudToDeviceMethod: z
    .object({
      methodName: z.string(),
      payload: z.unknown().optional(),
      responseTimeoutInSeconds: z.int().optional(),
      connectTimeoutInSeconds: z.int().optional(),
    })
    .optional(),
  updateTwin: z
    .object({
      etag: z.string().optional(),
      tags: z.record(z.string(), z.unknown()).optional(),
      properties: z.object({ desired: z.record(z.string(), z.unknown()).optional() }).optional(),
    })
    .optional(),
  startTime: timestamp.optional(),
  maxExecutionTimeInSeconds: z.int(),
  cancelRequested: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  submittedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
  lastPolledAt: timestamp.optional(),
  deviceResults: z
    .object({
      imported: z.int().meta({ description: 'Device results stored so far.' }),
      complete: z
        .boolean()
        .meta({ description: 'Every device result is stored; /devices now lists them all.' }),
    })
    .optional()
    .meta({
      description:
        'Once the job has ended: how far the import of its device results has come (the poller imports them within its query budget, failures first).',
    }),
});
export type JobResource = z.output<typeof jobResourceSchema>;

export const jobListResponseSchema = z.object({
  items: z.array(jobResourceSchema),
  continuationToken: z
    .string()
    .optional()
    .meta({ description: 'Pass back to get the next page; absent on the last page.' }),
});
export type JobListResponse = z.output<typeof jobListResponseSchema>;

/** Strips a stored job (including a `StoredJob`'s revision) down to what the API shows. */
export function toJobResource(job: Job): JobResource {
  const { spec } = job;
  return {
    jobId: job.jobId,
    type: spec.type,
    status: job.status,
    ...optional('statusMessage', job.statusMessage),
    ...optional('failureReason', job.failureReason),
    statistics: { ...job.statistics, cancelledCount: job.statistics.cancelledCount ?? 0 },
    queryCondition: spec.queryCondition,
    ...optional('cloudToDeviceMethod', spec.cloudToDeviceMethod),
    ...optional('updateTwin', spec.updateTwin),
    ...optional('startTime', spec.startTime),
    maxExecutionTimeInSeconds: spec.maxExecutionTimeInSeconds,
    cancelRequested: job.cancelRequested,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...optional('submittedAt', job.submittedAt),
    ...optional('endedAt', job.endedAt),
    ...optional('lastPolledAt', job.lastPolledAt),
    ...optional('deviceResults', deviceResultsProgress(job)),
  };
}

function deviceResultsProgress(job: Job): JobResource['deviceResults'] {
  if (!terminalJobStatuses.has(job.status)) return undefined;
  const progress = job.resultsImport ?? { phase: 'failed', imported: 0 };
  return { imported: progress.imported, complete: progress.phase === 'done' };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Device-job statuses after normalisation (docs/iothub.md, Statuses). */
export const deviceJobStatuses = [
  'pending',
  'scheduled',
  'running',
  'completed',
  'failed',
  'cancelled',
] as const;

export const deviceOutcomes = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'offline',
  'timedOut',
  'cancelled',
] as const satisfies readonly DeviceOutcome[];

export const deviceResultSchema = z.object({
  jobId: jobIdSchema,
  deviceId: z.string(),
  status: z
    .string()
    .meta({ description: `Normalised device-job status: ${deviceJobStatuses.join(', ')}.` }),
  outcome: z.enum(deviceOutcomes),
  startTimeUtc: z.string().optional(),
  endTimeUtc: z.string().optional(),
  lastUpdatedDateTimeUtc: z.string().optional(),
  methodResponse: z.object({ status: z.int(), payload: z.unknown() }).optional(),
  error: z.object({ code: z.string(), description: z.string().optional() }).optional(),
});

export const deviceResultListResponseSchema = z.object({
  items: z.array(deviceResultSchema),
  continuationToken: z.string().optional(),
});
export type DeviceResultResource = z.output<typeof deviceResultSchema>;

/** A device result as the API shows it (type-checked: every outcome is in the schema). */
export function toDeviceResultResource(result: DeviceResult): DeviceResultResource {
  return { ...result };
}
