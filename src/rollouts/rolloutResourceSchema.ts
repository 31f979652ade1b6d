import { z } from 'zod';
import { jobTypes, type DeviceJobStatistics } from '../jobs/job';
import {
  deviceJobStatisticsSchema,
  jobIdSchema,
  jobResourceSchema,
} from '../jobs/jobResourceSchema';
import {
  retryOutcomes,
  rolloutStatuses,
  type Rollout,
  type RolloutTargets,
  type WaveState,
} from './rollout';
import { rolloutIdSchema } from './rolloutIdSchemas';

const timestamp = z.iso.datetime({ offset: true });
const waveStatuses = ['pending', 'running', 'completed', 'cancelled'] as const;

const verificationResourceSchema = z
  .object({
    queries: z.int().meta({ description: 'Hub queries spent comparing reported properties.' }),
    rounds: z.int().meta({ description: 'Verification rounds run, one per chunk each time.' }),
    awaitingCount: z.int().meta({
      description: 'Devices the hub wrote the patch to whose reported properties do not match yet.',
    }),
    notConvergedCount: z.int().meta({
      description: 'Devices whose reported properties did not match in time (counted failed).',
    }),
  })
  .meta({
    description: 'Verified rollouts: what checking the reported properties cost and found.',
  });

const waveResourceSchema = z.object({
  index: z.int().meta({ description: '1-based, in running order.' }),
  status: z.enum(waveStatuses),
  groupCondition: z.string().optional().meta({ description: "A group wave's own condition." }),
  deviceCount: z
    .int()
    .optional()
    .meta({ description: 'Devices planned into the wave; absent when the hub resolves them.' }),
  jobCount: z.int().meta({
    description: 'Chunk jobs the wave is split into: its earlier attempts and the current one.',
  }),
  attempt: z.int().meta({ description: "The wave's current attempt: 1, more once it retries." }),
  jobIds: z.array(jobIdSchema).meta({ description: 'Chunk jobs created so far, in order.' }),
  statistics: deviceJobStatisticsSchema,
  verification: verificationResourceSchema.optional(),
  startedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
});

/** Targets as shown: a list of ids only by its size, never the million ids themselves. */
const targetsResourceSchema = z.union([
  z.object({ queryCondition: z.string() }),
  z.object({ deviceCount: z.int().meta({ description: 'Distinct device ids given inline.' }) }),
  z.object({ deviceIdsBlob: z.string() }),
]);

const wavesSpecSchema = z
  .union([
    z.object({ count: z.int() }),
    z.object({ percent: z.number() }),
    z.object({ groups: z.array(z.string()) }),
  ])
  .meta({ description: "The request's waves: by count, percent or groups." });

/** A rollout as the API returns it: the stored rollout without its bookkeeping. */
export const rolloutResourceSchema = z.object({
  rolloutId: rolloutIdSchema,
  status: z.enum(rolloutStatuses).meta({
    description:
      '`completed` once every wave has ended and every chunk job’s device results are imported: the device list is then whole.',
  }),
  statusMessage: z.string().optional(),
  statistics: deviceJobStatisticsSchema.meta({
    description: 'Merged over the chunk jobs: each device counted once, by its latest outcome.',
  }),
  waves: z.array(waveResourceSchema),
  verification: verificationResourceSchema.optional(),
  operation: z.object({
    type: z.enum(jobTypes),
    cloudToDeviceMethod: jobResourceSchema.shape.cloudToDeviceMethod,
    updateTwin: jobResourceSchema.shape.updateTwin,
  }),
  targets: targetsResourceSchema,
  wavesSpec: wavesSpecSchema.optional(),
  startTime: timestamp.optional(),
  maxExecutionTimeInSeconds: z.int().meta({ description: 'Per hub job.' }),
  verify: z.object({ reportedWithinSeconds: z.int() }).optional().meta({
    description: "The request's verify: devices count once their reported properties match.",
  }),
  failureThreshold: z
    .object({
      percent: z.number().optional(),
      count: z.int().optional(),
      minFinishedDevices: z.int().optional(),
      outcomes: z.array(z.enum(retryOutcomes)).optional(),
    })
    .optional(),
  retry: z
    .object({
      outcomes: z.array(z.enum(retryOutcomes)),
      maxAttempts: z.int(),
      delaySeconds: z.int(),
    })
    .optional(),
  window: z
    .object({
      scheduleId: z.string(),
      closesAt: timestamp,
      endBehavior: z.enum(['stopLaunching', 'cancelRunning']),
    })
    .optional()
    .meta({ description: "Started by a schedule's window: no chunk starts after it closes." }),
  cancelRequested: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  startedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
  pausedAt: timestamp.optional().meta({ description: 'While paused: since when.' }),
  rerunOf: z
    .string()
    .optional()
    .meta({ description: 'A rerun: the rollout whose failed devices it takes again.' }),
});
export type RolloutResource = z.output<typeof rolloutResourceSchema>;

export const rolloutListResponseSchema = z.object({
  items: z.array(rolloutResourceSchema),
  continuationToken: z
    .string()
    .optional()
    .meta({ description: 'Pass back to get the next page; absent on the last page.' }),
});
export type RolloutListResponse = z.output<typeof rolloutListResponseSchema>;

/** Strips a stored rollout (a `StoredRollout`'s revision included) down to what the API shows. */
export function toRolloutResource(rollout: Rollout): RolloutResource {
  const { spec } = rollout;
  return {
    rolloutId: rollout.rolloutId,
    status: rollout.status,
    ...optional('statusMessage', rollout.statusMessage),
    statistics: withCancelled(rollout.statistics),
    waves: rollout.waves.map(toWaveResource),
    ...optional(
      'verification',
      spec.verify === undefined ? undefined : totalVerification(rollout.waves),
    ),
    operation: { ...spec.operation },
    targets: toTargetsResource(spec.targets),
    ...optional('wavesSpec', spec.waves),
    ...optional('startTime', spec.startTime),
    maxExecutionTimeInSeconds: spec.maxExecutionTimeInSeconds,
    ...optional('verify', spec.verify),
    ...optional('failureThreshold', spec.failureThreshold),
    ...optional('retry', spec.retry),
    ...optional('window', spec.window),
    cancelRequested: rollout.cancelRequested,
    createdAt: rollout.createdAt,
    updatedAt: rollout.updatedAt,
    ...optional('startedAt', rollout.startedAt),
    ...optional('endedAt', rollout.endedAt),
    ...optional('pausedAt', rollout.pausedAt),
    ...optional('rerunOf', rollout.rerunOf),
  };
}

function toWaveResource(wave: WaveState): RolloutResource['waves'][number] {
  return {
    index: wave.index,
    status: wave.status,
    ...optional('groupCondition', wave.groupCondition),
    ...optional('deviceCount', wave.deviceCount),
    jobCount: jobCountOf(wave),
    attempt: wave.attempt ?? 1,
    jobIds: [...wave.jobIds],
    statistics: withCancelled(wave.statistics),
    ...optional(
      'verification',
      wave.verification === undefined && wave.verifying === undefined
        ? undefined
        : totalVerification([wave]),
    ),
    ...optional('startedAt', wave.startedAt),
    ...optional('endedAt', wave.endedAt),
  };
}

type VerificationResource = z.output<typeof verificationResourceSchema>;

function totalVerification(waves: readonly WaveState[]): VerificationResource {
  const total = { queries: 0, rounds: 0, awaitingCount: 0, notConvergedCount: 0 };
  for (const wave of waves) {
    total.queries += wave.verification?.queries ?? 0;
    total.rounds += wave.verification?.rounds ?? 0;
    total.notConvergedCount += wave.verification?.notConverged ?? 0;
    total.awaitingCount += (wave.verifying ?? []).reduce((sum, chunk) => sum + chunk.awaiting, 0);
  }
  return total;
}

/** The chunks of the earlier attempts, which all exist, and those planned for the current one. */
function jobCountOf(wave: WaveState): number {
  const attempt = wave.attempt ?? 1;
  const earlier = wave.jobIds.filter((jobId) => !jobId.endsWith(`-a${attempt}`)).length;
  return earlier + wave.chunkCount;
}

function toTargetsResource(targets: RolloutTargets): RolloutResource['targets'] {
  if (targets.kind === 'queryCondition') return { queryCondition: targets.queryCondition };
  if (targets.kind === 'deviceIds') return { deviceCount: targets.deviceCount };
  return { deviceIdsBlob: targets.deviceIdsBlob };
}

function withCancelled(statistics: DeviceJobStatistics): Required<DeviceJobStatistics> {
  return { ...statistics, cancelledCount: statistics.cancelledCount ?? 0 };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
