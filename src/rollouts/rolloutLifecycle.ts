import type { DeviceJobStatistics, StoredJob } from '../jobs/job';
import { isHubActive, isTerminal } from '../jobs/jobLifecycle';
import { mergeStatistics } from './mergeStatistics';
import { withVerification } from './verifiedStatistics';
import {
  terminalRolloutStatuses,
  type Rollout,
  type RolloutStatus,
  type WaveState,
} from './rollout';

export function isRolloutTerminal(status: RolloutStatus): boolean {
  return terminalRolloutStatuses.has(status);
}

/** The wave being worked on: the first not yet ended. */
export function currentWave(rollout: Rollout): WaveState | undefined {
  return rollout.waves.find((wave) => wave.status === 'pending' || wave.status === 'running');
}

/** A wave's chunk jobs as stored; a recorded id whose job is not stored yet maps to undefined. */
export type ChunkJobs = Map<string, StoredJob | undefined>;

/** The wave's chunk jobs not yet seen ended: the ones a step reads. */
export function openJobIdsOf(wave: WaveState): string[] {
  return wave.openJobIds ?? wave.jobIds;
}

/** The open chunks of `before` that `settled` saw ended. */
export function justEndedJobIds(before: WaveState, settled: WaveState): string[] {
  const stillOpen = new Set(openJobIdsOf(settled));
  return openJobIdsOf(before).filter((jobId) => !stillOpen.has(jobId));
}

export function inFlightJobIds(wave: WaveState, jobs: ChunkJobs): string[] {
  return openJobIdsOf(wave).filter((jobId) => {
    const job = jobs.get(jobId);
    return job === undefined || !isTerminal(job.status);
  });
}

/**
 * The chunks seen ended, plus the open ones as stored now; in a verified rollout, devices still
 * awaiting their reported properties count as running and those that never matched as failed.
 */
export function waveStatistics(wave: WaveState, jobs: ChunkJobs): DeviceJobStatistics {
  const hub = mergeStatistics([
    ...(wave.endedStatistics === undefined ? [] : [wave.endedStatistics]),
    ...openJobIdsOf(wave).flatMap((jobId) => {
      const job = jobs.get(jobId);
      return job === undefined ? [] : [job.statistics];
    }),
  ]);
  return withVerification(wave, hub);
}

/**
 * The wave with the chunks that have ended moved out of its open ones, their statistics (final,
 * as the hub answered when they ended) folded into `endedStatistics`.
 */
export function settleEndedChunks(wave: WaveState, jobs: ChunkJobs): WaveState {
  const open = openJobIdsOf(wave);
  const ended = open.flatMap((jobId) => {
    const job = jobs.get(jobId);
    return job !== undefined && isTerminal(job.status) ? [job] : [];
  });
  if (ended.length === 0) return wave;
  const endedIds = new Set(ended.map((job) => job.jobId));
  return {
    ...wave,
    openJobIds: open.filter((jobId) => !endedIds.has(jobId)),
    endedStatistics: mergeStatistics([
      ...(wave.endedStatistics === undefined ? [] : [wave.endedStatistics]),
      ...ended.map((job) => job.statistics),
    ]),
  };
}

/** The rollout's statistics: every wave's, each device in exactly one chunk of one wave. */
export function rolloutStatistics(waves: WaveState[]): DeviceJobStatistics {
  return mergeStatistics(waves.map((wave) => wave.statistics));
}

/** The waves not started yet, for a status message ("waves 3-5 were not started"). */
export function notStartedWaves(rollout: Rollout): number[] {
  return rollout.waves
    .filter((wave) => wave.jobIds.length === 0 && wave.status !== 'completed')
    .map((wave) => wave.index);
}

/**
 * Seconds until one of the in-flight chunks is expected to end: its devices still to run at the
 * hub's device-operation rate, from the hub's latest statistics (counted from when it reported
 * them) once it has reported any, else from the devices planned for a chunk, from its submission.
 */
export function secondsUntilChunkEnd(
  jobs: (StoredJob | undefined)[],
  plannedDevicesPerChunk: number,
  devicesPerSecond: number,
  nowMs: number,
): number | undefined {
  const rate = Math.max(devicesPerSecond, 0.001);
  let soonest: number | undefined;
  for (const job of jobs) {
    if (job !== undefined && isTerminal(job.status)) continue;
    const { deviceCount, pendingCount, runningCount } = job?.statistics ?? {};
    let endMs: number;
    if (job !== undefined && deviceCount !== undefined && deviceCount > 0) {
      // Counted from when the hub reported them, not from now: they are that old.
      const reportedMs = Date.parse(job.lastPolledAt ?? job.updatedAt);
      endMs = reportedMs + (((pendingCount ?? 0) + (runningCount ?? 0)) / rate) * 1000;
    } else {
      const fromMs = job?.submittedAt === undefined ? nowMs : Date.parse(job.submittedAt);
      endMs = fromMs + (plannedDevicesPerChunk / rate) * 1000;
    }
    const seconds = Math.max(0, (endMs - nowMs) / 1000);
    soonest = soonest === undefined ? seconds : Math.min(soonest, seconds);
  }
  return soonest;
}

/** True when a hub-active chunk should have ended by now: worth asking the hub. */
export function chunkEndDue(
  job: StoredJob,
  plannedDevicesPerChunk: number,
  devicesPerSecond: number,
  nowMs: number,
): boolean {
  if (!isHubActive(job.status)) return false;
  const seconds = secondsUntilChunkEnd([job], plannedDevicesPerChunk, devicesPerSecond, nowMs);
  return seconds !== undefined && seconds <= 0;
}
