import { ConcurrencyError } from '../core/errors';
import { chunkJobsStillImporting, readChunkJobs } from './chunkJobs';
import { planRolloutStep } from './planRolloutStep';
import type { StoredRollout } from './rollout';
import { currentWave, isRolloutTerminal, rolloutStatistics } from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';
import { refreshDueChunks, stepWave } from './stepWave';
import { updateRolloutGuarded } from './updateRolloutGuarded';
import { checkInByClose, closeWindow } from './windowClose';

export type AdvanceResult =
  | { outcome: 'notFound' }
  | { outcome: 'ended'; rollout: StoredRollout }
  /** Nothing more to do now; worth looking again in `checkInSeconds`. */
  | { outcome: 'running'; rollout: StoredRollout; checkInSeconds: number }
  /** Paused with nothing in flight: no step is due until it is resumed. */
  | { outcome: 'paused'; rollout: StoredRollout }
  /**
   * Every wave ended, some results are not imported yet: the poller, which imports them, steps it
   * after its import, so no message needs to wait for that.
   */
  | { outcome: 'importing'; rollout: StoredRollout };

export interface AdvanceOptions {
  /**
   * Ask the hub about chunks that should have ended by now (a continuation message). The poller
   * has just refreshed every job, so it passes false.
   */
  refreshFromHub: boolean;
}

/**
 * One step of a rollout (docs/rollouts.md): plan it, then keep its current wave's chunk jobs
 * going — at most the hub's job slots' worth in flight — and move to the next wave when every
 * chunk of this one has ended. Every write is guarded by the rollout's revision and every chunk
 * job has a deterministic id, so two instances stepping one rollout at once create nothing twice.
 */
export async function advanceRollout(
  rolloutId: string,
  deps: RolloutDeps,
  options: AdvanceOptions,
): Promise<AdvanceResult> {
  for (let attempt = 1; ; attempt++) {
    const rollout = await deps.rollouts.get(rolloutId);
    if (rollout === undefined) return { outcome: 'notFound' };
    try {
      return checkInByClose(await step(rollout, deps, options), deps);
    } catch (error) {
      // Another instance stepped it meanwhile: decide again on what it wrote.
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}

async function step(
  initial: StoredRollout,
  deps: RolloutDeps,
  options: AdvanceOptions,
): Promise<AdvanceResult> {
  if (isRolloutTerminal(initial.status)) return { outcome: 'ended', rollout: initial };
  const startInSeconds = secondsUntilStart(initial, deps);
  if (startInSeconds > 0) {
    return { outcome: 'running', rollout: initial, checkInSeconds: startInSeconds };
  }
  let rollout = initial;
  if (rollout.plan.state !== 'planned') {
    const pauseMs = resolvePauseMs(rollout, deps);
    if (pauseMs > 0) return { outcome: 'running', rollout, checkInSeconds: pauseMs / 1000 };
    rollout = await planRolloutStep(rollout, deps);
    if (rollout.plan.state !== 'planned') {
      return { outcome: 'running', rollout, checkInSeconds: resolveIntervalMs(deps) / 1000 };
    }
  }
  for (;;) {
    const wave = currentWave(rollout);
    if (wave === undefined) return finish(rollout, deps);
    const jobs = await readChunkJobs(wave, deps);
    if (options.refreshFromHub) await refreshDueChunks(wave, jobs, deps);
    const closed = await closeWindow(rollout, wave, jobs, deps);
    if (closed !== undefined) return closed;
    const next = await stepWave(rollout, wave, jobs, deps);
    if (next.waveEnded) {
      rollout = next.rollout;
      continue;
    }
    return next.result;
  }
}

/** How far apart resolving steps are, so their pages stay within the resolving share. */
function resolveIntervalMs(deps: RolloutDeps): number {
  const { resolvePagesPerStep, resolveQueryShare, queriesPerMinute } = deps.rolloutOptions;
  const pagesPerMinute = Math.max(queriesPerMinute * resolveQueryShare, 0.001);
  return (resolvePagesPerStep / pagesPerMinute) * 60_000;
}

/** Time left before a rollout still resolving may take its next pages (0: now). */
function resolvePauseMs(rollout: StoredRollout, deps: RolloutDeps): number {
  if (rollout.plan.state !== 'resolving') return 0;
  const sinceMs = deps.clock.now().getTime() - Date.parse(rollout.updatedAt);
  return Math.max(0, resolveIntervalMs(deps) - sinceMs);
}

function secondsUntilStart(rollout: StoredRollout, deps: RolloutDeps): number {
  if (rollout.spec.startTime === undefined || rollout.status !== 'accepted') return 0;
  return Math.ceil((Date.parse(rollout.spec.startTime) - deps.clock.now().getTime()) / 1000);
}

/**
 * Every wave ended: the rollout completes once the device results of all its chunk jobs are
 * imported, so a client that sees `completed` reads the whole device list. Until then it stays
 * `running`, its status message saying what it waits for; the chunks still importing are kept in
 * `importingJobIds`, so every chunk job is read once and later looks read only those. Each poll
 * tick steps every active rollout after its import, which is what completes it.
 */
async function finish(rollout: StoredRollout, deps: RolloutDeps): Promise<AdvanceResult> {
  const candidates = rollout.importingJobIds ?? rollout.waves.flatMap((wave) => wave.jobIds);
  const importing = await chunkJobsStillImporting(candidates, deps);
  if (importing.length > 0) {
    const statusMessage = `All ${rollout.waves.length} wave(s) ended; importing the device results of ${importing.length} chunk job(s).`;
    const unchanged =
      rollout.statusMessage === statusMessage &&
      JSON.stringify(rollout.importingJobIds) === JSON.stringify(importing);
    const stored = unchanged
      ? rollout
      : await deps.rollouts.update({
          ...rollout,
          statusMessage,
          importingJobIds: importing,
          updatedAt: deps.clock.now().toISOString(),
        });
    return { outcome: 'importing', rollout: stored };
  }
  const now = deps.clock.now().toISOString();
  const { rollout: stored } = await updateRolloutGuarded(deps.rollouts, rollout, (current) => {
    if (isRolloutTerminal(current.status)) return undefined;
    const { importingJobIds: _done, ...rest } = current;
    return {
      ...rest,
      status: 'completed',
      statusMessage: `All ${current.waves.length} wave(s) ended.`,
      statistics: rolloutStatistics(current.waves),
      endedAt: now,
      updatedAt: now,
    };
  });
  return { outcome: 'ended', rollout: stored };
}
