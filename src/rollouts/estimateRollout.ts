import { z } from 'zod';

/** Devices one hub query page answers when resolving a condition to ids. */
export const resolvePageSize = 100;

export interface EstimateInput {
  /** Per wave, in order: the devices it operates and its chunk jobs. */
  waves: readonly { deviceCount: number; jobCount: number }[];
  /** The hub's job device-operation rate for the tier (`deviceOperationsPerSecond`). */
  deviceOperationsPerSecond: number;
  /** Devices a condition target must be resolved to ids first (size waves); 0 when none. */
  devicesToResolve: number;
  /** hubjobs' own query budget per minute, which resolving draws on. */
  queriesPerMinute: number;
}

export const rolloutDryRunResponseSchema = z.object({
  deviceCount: z.int().meta({ description: 'Devices the rollout would operate, each once.' }),
  jobCount: z.int().meta({ description: 'Hub jobs (chunks) it would run.' }),
  waves: z.array(z.object({ index: z.int(), deviceCount: z.int(), jobCount: z.int() })),
  etaSeconds: z.int().meta({
    description:
      "Devices over the tier's job device-operation rate, plus the hub queries that resolving a condition to ids takes at hubjobs' query budget.",
  }),
});
export type RolloutDryRunResponse = z.output<typeof rolloutDryRunResponseSchema>;

/** Queries that resolving `deviceCount` devices of a condition takes, one page each. */
export function resolveQueryCount(deviceCount: number): number {
  return Math.ceil(deviceCount / resolvePageSize);
}

/**
 * What a dry run answers. The hub runs a tier's job device operations at one rate however many
 * jobs share it, so the devices over that rate bound the wall time, whatever the waves.
 */
export function estimateRollout(input: EstimateInput): RolloutDryRunResponse {
  const waves = input.waves.map((wave, index) => ({
    index: index + 1,
    deviceCount: wave.deviceCount,
    jobCount: wave.jobCount,
  }));
  const deviceCount = sum(waves.map((wave) => wave.deviceCount));
  const operateSeconds = deviceCount / input.deviceOperationsPerSecond;
  const resolveSeconds = (resolveQueryCount(input.devicesToResolve) * 60) / input.queriesPerMinute;
  return {
    deviceCount,
    jobCount: sum(waves.map((wave) => wave.jobCount)),
    waves,
    etaSeconds: Math.ceil(operateSeconds + resolveSeconds),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
