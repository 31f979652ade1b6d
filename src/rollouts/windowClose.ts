import { isTerminal } from '../jobs/jobLifecycle';
import type { AdvanceResult } from './advanceRollout';
import { cancelChunkJobs } from './chunkJobs';
import { endRolloutEarly } from './endRollout';
import type { Rollout, StoredRollout, WaveState } from './rollout';
import { openJobIdsOf, type ChunkJobs } from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';

/** A rollout started by a schedule's window whose close has passed: it starts no more chunks. */
export function windowClosed(rollout: Rollout, deps: Pick<RolloutDeps, 'clock'>): boolean {
  const window = rollout.spec.window;
  return window !== undefined && deps.clock.now().getTime() >= Date.parse(window.closesAt);
}

/**
 * At a closed window (docs/schedules.md): chunks not yet at the hub are cancelled, and with
 * `cancelRunning` the running ones too; once nothing of the rollout runs it ends `completed`,
 * naming the waves it did not start. Undefined while the window is open, or while chunks still
 * run, which the wave step keeps following without starting any.
 */
export async function closeWindow(
  rollout: StoredRollout,
  wave: WaveState,
  jobs: ChunkJobs,
  deps: RolloutDeps,
): Promise<AdvanceResult | undefined> {
  const window = rollout.spec.window;
  if (window === undefined || !windowClosed(rollout, deps)) return undefined;
  // Chunks created and not yet settled by a wave step: running, or ended and still to be counted.
  const open = openJobIdsOf(wave).filter((jobId) => jobs.get(jobId) !== undefined);
  const toCancel = open.filter((jobId) => {
    const status = jobs.get(jobId)?.status;
    if (status === undefined || isTerminal(status)) return false;
    return window.endBehavior === 'cancelRunning' || status === 'accepted';
  });
  if (toCancel.length > 0) {
    await cancelChunkJobs(toCancel, deps);
    for (const jobId of toCancel) jobs.set(jobId, await deps.jobStore.get(jobId));
  }
  // The wave step follows them (and any verification of ended chunks) without starting more.
  if (open.length > 0 || (wave.verifying?.length ?? 0) > 0) return undefined;
  const ended = await endAtClose(rollout, wave, jobs, deps);
  return { outcome: 'ended', rollout: ended };
}

function endAtClose(
  rollout: StoredRollout,
  wave: WaveState,
  jobs: ChunkJobs,
  deps: RolloutDeps,
): Promise<StoredRollout> {
  return endRolloutEarly(
    rollout,
    wave,
    jobs,
    {
      status: 'completed',
      statusMessage: (current) => closeMessage(current, wave),
      currentWave: (w) =>
        w.jobIds.length >= w.chunkCount && w.retryAt === undefined ? 'completed' : 'cancelled',
    },
    deps,
  );
}

function closeMessage(rollout: Rollout, wave: WaveState): string {
  const window = rollout.spec.window;
  const notStarted = rollout.waves
    .filter((w) => w.status === 'pending' && w.jobIds.length === 0)
    .map((w) => w.index);
  const parts = [`The maintenance window closed at ${window?.closesAt ?? '?'}`];
  if (wave.jobIds.length > 0 && wave.jobIds.length < wave.chunkCount) {
    parts.push(
      `wave ${wave.index} stopped after ${wave.jobIds.length} of ${wave.chunkCount} chunks`,
    );
  }
  parts.push(
    notStarted.length === 0
      ? 'every wave had started'
      : `wave(s) ${notStarted.join(', ')} did not start`,
  );
  if (window?.endBehavior === 'cancelRunning') parts.push('running chunks were cancelled');
  return `${parts.join('; ')}.`;
}

/** While the window is open, a running rollout checks in no later than its close. */
export function checkInByClose(
  result: AdvanceResult,
  deps: Pick<RolloutDeps, 'clock'>,
): AdvanceResult {
  const window = result.outcome === 'running' ? result.rollout.spec.window : undefined;
  if (result.outcome !== 'running' || window === undefined) return result;
  const untilClose = (Date.parse(window.closesAt) - deps.clock.now().getTime()) / 1000;
  if (untilClose <= 0 || untilClose >= result.checkInSeconds) return result;
  return { ...result, checkInSeconds: untilClose };
}
