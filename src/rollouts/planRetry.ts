import { failedResultsImported } from '../jobs/jobLifecycle';
import { mergeStatistics } from './mergeStatistics';
import { planRollout } from './planRollout';
import { allRolloutDevicesWith } from './rolloutDeviceQueries';
import {
  parseChunkJobId,
  type PlannedChunk,
  type RetryOutcome,
  type RolloutFailureCounts,
  type StoredRollout,
  type WaveState,
} from './rollout';
import type { RolloutDeps } from './rolloutDeps';
import { withVerification } from './verifiedStatistics';
import { verifyReserve } from './verifyClause';

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
  const byOutcome = await devicesToRetry(
    rollout.rolloutId,
    wave.index,
    attempt,
    retry.outcomes,
    deps,
  );
  const deviceIds = [...byOutcome.values()].flat().sort();
  if (deviceIds.length === 0) return { kind: 'none' };
  const next = attempt + 1;
  const reserve = verifyReserve(rollout.spec);
  const chunks: PlannedChunk[] = planRollout({ deviceIds }, undefined, reserve).map(
    (chunk, index) => ({
      ...chunk,
      wave: wave.index,
      chunk: index + 1,
      attempt: next,
    }),
  );
  await deps.rolloutChunks.put(rollout.rolloutId, chunks);
  const retryAt = new Date(deps.clock.now().getTime() + retry.delaySeconds * 1000).toISOString();
  // The hub counted a device that did not converge as succeeded; verification, as failed.
  const notConverged = byOutcome.get('notConverged')?.length ?? 0;
  const hubFailed = deviceIds.length - notConverged;
  const ended = wave.endedStatistics ?? wave.statistics;
  const withoutRetried = {
    ...ended,
    deviceCount: Math.max(0, ended.deviceCount - deviceIds.length),
    failedCount: Math.max(0, ended.failedCount - hubFailed),
    succeededCount: Math.max(0, ended.succeededCount - notConverged),
  };
  const retried: WaveState = {
    ...wave,
    status: 'running',
    attempt: next,
    chunkCount: chunks.length,
    attemptDeviceCount: deviceIds.length,
    retryAt,
    endedStatistics: withoutRetried,
    ...(wave.verification === undefined
      ? {}
      : {
          verification: {
            ...wave.verification,
            notConverged: Math.max(0, wave.verification.notConverged - notConverged),
          },
        }),
    ...(wave.failureCounts === undefined
      ? {}
      : { failureCounts: withoutRetriedClasses(wave.failureCounts, byOutcome) }),
  };
  const statistics = withVerification(retried, mergeStatistics([withoutRetried]));
  return { kind: 'planned', seconds: retry.delaySeconds, wave: { ...retried, statistics } };
}

async function failuresImported(
  wave: WaveState,
  attempt: number,
  deps: RolloutDeps,
): Promise<boolean> {
  for (const jobId of wave.jobIds) {
    if (parseChunkJobId(jobId)?.attempt !== attempt) continue;
    const job = await deps.jobStore.get(jobId);
    if (job !== undefined && !failedResultsImported(job)) return false;
  }
  return true;
}

/** Devices of this wave whose latest attempt is `attempt`, by the outcome `outcomes` names. */
async function devicesToRetry(
  rolloutId: string,
  wave: number,
  attempt: number,
  outcomes: readonly RetryOutcome[],
  deps: RolloutDeps,
): Promise<Map<RetryOutcome, string[]>> {
  const byOutcome = new Map<RetryOutcome, string[]>();
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
  counts: RolloutFailureCounts,
  byOutcome: ReadonlyMap<RetryOutcome, string[]>,
): RolloutFailureCounts {
  const next: RolloutFailureCounts = { ...counts };
  for (const [outcome, ids] of byOutcome) {
    const count = next[outcome];
    if (count !== undefined) next[outcome] = Math.max(0, count - ids.length);
  }
  return next;
}
