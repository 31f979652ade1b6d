import { deviceOutcomes } from '../jobs/jobResourceSchema';
import type { DeviceOutcome, FailureCounts } from '../jobs/job';
import { mergeStatistics } from './mergeStatistics';
import { planRollout } from './planRollout';
import { allRolloutDevicesWith } from './rolloutDeviceQueries';
import { parseChunkJobId, type PlannedChunk, type StoredRollout, type WaveState } from './rollout';
import type { RolloutDeps } from './rolloutDeps';

export type RetryPlan =
  /** No retry is due: the wave may end. */
  | { kind: 'none' }
  /** The attempt's failures are still being imported: look again in `seconds`. */
  | { kind: 'wait'; seconds: number }
  /** The next attempt's chunks are planned; they start in `seconds`. */
  | { kind: 'planned'; wave: WaveState; seconds: number };

/** How soon a step looks again while the failed-first part of an attempt's import runs. */
const importWaitSeconds = 2;

/**
 * Once every chunk of a wave's attempt has ended and the failed-first part of their import is
 * done, the devices whose latest outcome `retry` names get another attempt: new chunks, planned
 * as the first were, with the next attempt number in their job ids, so no device gets the same
 * attempt twice. Their old outcome leaves the statistics, where the retry counts them again.
 */
export async function planRetry(
  rollout: StoredRollout,
  wave: WaveState,
  deps: RolloutDeps,
): Promise<RetryPlan> {
  const { retry } = rollout.spec;
  const attempt = wave.attempt ?? 1;
  if (retry === undefined || attempt >= retry.maxAttempts) return { kind: 'none' };
  if (!(await failuresImported(wave, attempt, deps))) {
    return { kind: 'wait', seconds: importWaitSeconds };
  }
  // `notConverged` comes with verified twin rollouts; until then no device has it.
  const outcomes = retry.outcomes.flatMap((outcome) =>
    (deviceOutcomes as readonly string[]).includes(outcome) ? [outcome as DeviceOutcome] : [],
  );
  const byOutcome = await devicesToRetry(rollout.rolloutId, wave.index, attempt, outcomes, deps);
  const deviceIds = [...byOutcome.values()].flat().sort();
  if (deviceIds.length === 0) return { kind: 'none' };
  const next = attempt + 1;
  const chunks: PlannedChunk[] = planRollout({ deviceIds }).map((chunk, index) => ({
    ...chunk,
    wave: wave.index,
    chunk: index + 1,
    attempt: next,
  }));
  await deps.rolloutChunks.put(rollout.rolloutId, chunks);
  const retryAt = new Date(deps.clock.now().getTime() + retry.delaySeconds * 1000).toISOString();
  const ended = wave.endedStatistics ?? wave.statistics;
  const withoutRetried = {
    ...ended,
    deviceCount: Math.max(0, ended.deviceCount - deviceIds.length),
    failedCount: Math.max(0, ended.failedCount - deviceIds.length),
  };
  return {
    kind: 'planned',
    seconds: retry.delaySeconds,
    wave: {
      ...wave,
      status: 'running',
      attempt: next,
      chunkCount: chunks.length,
      attemptDeviceCount: deviceIds.length,
      retryAt,
      endedStatistics: withoutRetried,
      statistics: mergeStatistics([withoutRetried]),
      ...(wave.failureCounts === undefined
        ? {}
        : { failureCounts: withoutRetriedClasses(wave.failureCounts, byOutcome) }),
    },
  };
}

async function failuresImported(
  wave: WaveState,
  attempt: number,
  deps: RolloutDeps,
): Promise<boolean> {
  for (const jobId of wave.jobIds) {
    if (parseChunkJobId(jobId)?.attempt !== attempt) continue;
    const job = await deps.jobStore.get(jobId);
    const phase = job?.resultsImport?.phase;
    if (job !== undefined && (phase === undefined || phase === 'failed')) return false;
  }
  return true;
}

/** Devices of this wave whose latest attempt is `attempt`, by the outcome `outcomes` names. */
async function devicesToRetry(
  rolloutId: string,
  wave: number,
  attempt: number,
  outcomes: readonly DeviceOutcome[],
  deps: RolloutDeps,
): Promise<Map<DeviceOutcome, string[]>> {
  const byOutcome = new Map<DeviceOutcome, string[]>();
  for (const outcome of outcomes) {
    const rows = await allRolloutDevicesWith(rolloutId, outcome, deps);
    const ids = rows.flatMap((row) => {
      const ref = parseChunkJobId(row.jobId);
      return ref?.wave === wave && ref.attempt === attempt ? [row.deviceId] : [];
    });
    byOutcome.set(outcome, ids);
  }
  return byOutcome;
}

/** The wave's per-class failures without the devices a retry takes again. */
function withoutRetriedClasses(
  counts: FailureCounts,
  byOutcome: ReadonlyMap<DeviceOutcome, string[]>,
): FailureCounts {
  const next: FailureCounts = { ...counts };
  for (const [outcome, ids] of byOutcome) {
    const key = outcome as keyof FailureCounts;
    if (next[key] !== undefined) next[key] = Math.max(0, (next[key] ?? 0) - ids.length);
  }
  return next;
}
