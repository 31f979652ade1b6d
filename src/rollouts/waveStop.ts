import { failedResultsImported } from '../jobs/jobLifecycle';
import { cancelChunkJobs } from './chunkJobs';
import { endRolloutEarly } from './endRollout';
import { countsChosenClasses, sumFailureCounts, thresholdCrossing } from './failureThreshold';
import type { RolloutFailureCounts, StoredRollout, WaveState } from './rollout';
import {
  inFlightJobIds,
  justEndedJobIds,
  rolloutStatistics,
  type ChunkJobs,
} from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';

/**
 * Why the rollout must stop now: the hub refused a chunk for good (its request is the rollout's,
 * so every chunk would be refused), or the failures, cumulative over the waves and live for the
 * chunks running, crossed the failure threshold.
 */
export function reasonToStop(
  rollout: StoredRollout,
  wave: WaveState,
  jobs: ChunkJobs,
  statistics: WaveState['statistics'],
): string | undefined {
  const rejected = [...jobs.values()].find((job) => job?.status === 'rejected');
  if (rejected !== undefined) {
    return `The hub refused chunk job ${rejected.jobId}: ${rejected.failureReason ?? 'no reason given'}`;
  }
  const { failureThreshold } = rollout.spec;
  if (failureThreshold === undefined) return undefined;
  const waves = rollout.waves.map((w) => (w.index === wave.index ? { ...wave, statistics } : w));
  const imported = sumFailureCounts(waves.map((w) => w.failureCounts ?? {}));
  const verified = rollout.spec.verify !== undefined;
  return thresholdCrossing(failureThreshold, rolloutStatistics(waves), imported, verified);
}

/**
 * When the threshold counts chosen classes: chunks that just ended wait in `importingJobIds`
 * until the failed-first part of their import is done, then their per-class counts join the
 * wave's `failureCounts`. Only those few chunks are read.
 */
export async function trackFailureClasses(
  rollout: StoredRollout,
  before: WaveState,
  settled: WaveState,
  deps: RolloutDeps,
): Promise<WaveState> {
  const verified = rollout.spec.verify !== undefined;
  if (!countsChosenClasses(rollout.spec.failureThreshold, verified)) return settled;
  const importing = [...(settled.importingJobIds ?? []), ...justEndedJobIds(before, settled)];
  const waiting: string[] = [];
  const counts: RolloutFailureCounts[] = [settled.failureCounts ?? {}];
  for (const jobId of importing) {
    const job = await deps.jobStore.get(jobId);
    if (job !== undefined && !failedResultsImported(job)) waiting.push(jobId);
    else counts.push(job?.resultsImport?.failures ?? {});
  }
  return { ...settled, importingJobIds: waiting, failureCounts: sumFailureCounts(counts) };
}

/** The rollout fails with `reason`; its chunks still running are cancelled, no later wave starts. */
export async function failRollout(
  rollout: StoredRollout,
  wave: WaveState,
  jobs: ChunkJobs,
  reason: string,
  deps: RolloutDeps,
): Promise<StoredRollout> {
  const stored = await endRolloutEarly(
    rollout,
    wave,
    jobs,
    { status: 'failed', statusMessage: () => reason, currentWave: () => 'cancelled' },
    deps,
  );
  await cancelChunkJobs(inFlightJobIds(wave, jobs), deps);
  return stored;
}
