import { nudgeDeferredJobs } from '../jobs/resumeWaitingJobs';
import type { StoredJob } from '../jobs/job';
import { isTerminal } from '../jobs/jobLifecycle';
import type { AdvanceResult } from './advanceRollout';
import { admitWaitingChunk, cancelChunkJobs, createChunkJob, refreshChunkJob } from './chunkJobs';
import { planRetry } from './planRetry';
import { chunkJobId, parseChunkJobId, type StoredRollout, type WaveState } from './rollout';
import { failRollout, reasonToStop, trackFailureClasses } from './waveStop';
import {
  chunkEndDue,
  inFlightJobIds,
  isRolloutTerminal,
  openJobIdsOf,
  rolloutStatistics,
  secondsUntilChunkEnd,
  settleEndedChunks,
  waveStatistics,
  type ChunkJobs,
} from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';
import { windowClosed } from './windowClose';
import { runVerificationRounds, secondsUntilNextRound, startVerifying } from './verifyConvergence';

/** Devices a chunk of `wave` holds on average: what a chunk's expected run time is reckoned from. */
function devicesPerChunk(wave: WaveState): number {
  const devices = wave.attemptDeviceCount ?? wave.deviceCount;
  if (devices === undefined || wave.chunkCount === 0) return 1;
  return Math.max(1, Math.ceil(devices / wave.chunkCount));
}

/** Chunk jobs of `attempt` recorded so far. */
function createdInAttempt(wave: WaveState, attempt: number): number {
  return wave.jobIds.filter((jobId) => parseChunkJobId(jobId)?.attempt === attempt).length;
}

/**
 * Chunks whose expected end has passed are asked about at the hub; when one has ended, its slot is
 * handed on at once, to whichever job has waited longest (a plain job is not starved by a rollout).
 */
export async function refreshDueChunks(
  wave: WaveState,
  jobs: ChunkJobs,
  deps: RolloutDeps,
): Promise<void> {
  const nowMs = deps.clock.now().getTime();
  const rate = deps.rolloutOptions.deviceOperationsPerSecond;
  let ended = 0;
  for (const [jobId, job] of jobs) {
    if (job === undefined || !chunkEndDue(job, devicesPerChunk(wave), rate, nowMs)) continue;
    const refreshed = await refreshChunkJob(job, deps);
    jobs.set(jobId, refreshed);
    if (isTerminal(refreshed.status)) ended++;
  }
  if (ended > 0) await nudgeDeferredJobs(await deps.jobStore.listActive(), ended, deps);
}

export interface WaveStep {
  waveEnded: boolean;
  rollout: StoredRollout;
  result: AdvanceResult;
}

export async function stepWave(
  rollout: StoredRollout,
  wave: WaveState,
  jobs: ChunkJobs,
  deps: RolloutDeps,
): Promise<WaveStep> {
  // A chunk recorded by a step that stopped before creating its job is created now (unless the
  // window has closed since: nothing starts after the close); one stored but not yet at the hub
  // (its creator stopped before admitting it) is admitted now.
  for (const [jobId, job] of jobs) {
    if (job === undefined) {
      if (windowClosed(rollout, deps)) continue;
      const ref = parseChunkJobId(jobId);
      if (ref === undefined) throw new Error(`Not a chunk job id: ${jobId}`);
      jobs.set(jobId, await createChunkJob(rollout, wave, ref.chunk, deps, ref.attempt));
    } else if (
      job.status === 'accepted' &&
      rollout.status !== 'paused' &&
      !windowClosed(rollout, deps) &&
      untouchedForGrace(job, deps)
    ) {
      jobs.set(jobId, await admitWaitingChunk(job, deps));
    }
  }
  const now = deps.clock.now().toISOString();
  const inFlight = inFlightJobIds(wave, jobs);
  const tracked = await trackFailureClasses(rollout, wave, settleEndedChunks(wave, jobs), deps);
  const verifyingNow = startVerifying(rollout, wave, tracked, jobs, now);
  const settled = await runVerificationRounds(rollout, verifyingNow, deps);
  const statistics = waveStatistics(settled, jobs);
  const stop = reasonToStop(rollout, settled, jobs, statistics);
  if (stop !== undefined) {
    const failed = await failRollout(rollout, wave, jobs, stop, deps);
    return { waveEnded: false, rollout: failed, result: { outcome: 'ended', rollout: failed } };
  }
  const attempt = wave.attempt ?? 1;
  const created = createdInAttempt(wave, attempt);
  const allCreated = created >= wave.chunkCount;
  const importing = (settled.importingJobIds?.length ?? 0) > 0;
  const nextRound = secondsUntilNextRound(settled, Date.parse(now));
  if (allCreated && inFlight.length === 0 && (importing || nextRound !== undefined)) {
    // The wave ends once its last failures are imported (when the threshold counts chosen
    // classes) and its last devices are verified (a verified rollout).
    const stored = await saveWave(rollout, { ...settled, statistics }, deps);
    const checkIn = Math.min(importing ? 2 : Infinity, nextRound ?? Infinity);
    return { waveEnded: false, rollout: stored, result: running(stored, checkIn) };
  }
  if (allCreated && inFlight.length === 0) {
    const retried = await planRetry(rollout, { ...settled, statistics }, deps);
    if (retried.kind === 'wait')
      return { waveEnded: false, rollout, result: running(rollout, retried.seconds) };
    if (retried.kind === 'planned') {
      const stored = await saveWave(rollout, retried.wave, deps);
      return { waveEnded: false, rollout: stored, result: running(stored, retried.seconds) };
    }
    const ended: WaveState = { ...settled, status: 'completed', statistics, endedAt: now };
    const stored = await saveWave(rollout, ended, deps);
    return { waveEnded: true, rollout: stored, result: running(stored, 0) };
  }
  const retryInMs = wave.retryAt === undefined ? 0 : Date.parse(wave.retryAt) - Date.parse(now);
  const paused = rollout.status === 'paused';
  if (paused && inFlight.length === 0 && nextRound === undefined) {
    // Nothing runs: the chain of steps ends here, and resuming starts a new one.
    const stored = await saveWave(rollout, { ...settled, statistics }, deps);
    return { waveEnded: false, rollout: stored, result: { outcome: 'paused', rollout: stored } };
  }
  const room =
    paused || retryInMs > 0 || windowClosed(rollout, deps)
      ? 0
      : Math.max(0, deps.admission.maxActiveJobs - inFlight.length);
  const toCreate = Math.min(room, wave.chunkCount - created);
  const firstNew = created + 1;
  const newIds = Array.from({ length: toCreate }, (_, i) =>
    chunkJobId(rollout.rolloutId, wave.index, firstNew + i, attempt),
  );
  const updated: WaveState = {
    ...settled,
    status: wave.jobIds.length + toCreate > 0 ? 'running' : wave.status,
    jobIds: [...wave.jobIds, ...newIds],
    openJobIds: [...openJobIdsOf(settled), ...newIds],
    statistics,
    startedAt: wave.startedAt ?? now,
  };
  // Recorded before the jobs are created, so a step that stops in between leaves them to the next.
  const stored = await saveWave(rollout, updated, deps);
  for (let i = 0; i < toCreate; i++) {
    const job = await createChunkJob(stored, updated, firstNew + i, deps);
    jobs.set(job.jobId, job);
  }
  if (toCreate > 0) await cancelIfEndedMeanwhile(stored.rolloutId, newIds, deps);
  const rate = deps.rolloutOptions.deviceOperationsPerSecond;
  const inFlightJobs = [...inFlight, ...newIds].map((jobId) => jobs.get(jobId));
  const soonest = Math.min(
    secondsUntilChunkEnd(inFlightJobs, devicesPerChunk(wave), rate, Date.parse(now)) ?? Infinity,
    retryInMs > 0 ? retryInMs / 1000 : Infinity,
    nextRound ?? Infinity,
  );
  const checkIn = Number.isFinite(soonest) ? soonest : 0;
  return { waveEnded: false, rollout: stored, result: running(stored, checkIn) };
}

/**
 * Untouched for longer than a submit can take: whoever created it is gone, or its admission
 * found no slot and is waiting. Younger, its creator may still be admitting it.
 */
function untouchedForGrace(job: StoredJob, deps: RolloutDeps): boolean {
  const ageMs = deps.clock.now().getTime() - Date.parse(job.updatedAt);
  return ageMs >= deps.admission.slotClaimGraceSeconds * 1000;
}

function running(rollout: StoredRollout, checkInSeconds: number): AdvanceResult {
  return { outcome: 'running', rollout, checkInSeconds };
}

/** Writes the wave and the merged statistics; the first chunk makes the rollout `running`. */
async function saveWave(
  rollout: StoredRollout,
  wave: WaveState,
  deps: RolloutDeps,
): Promise<StoredRollout> {
  const now = deps.clock.now().toISOString();
  const waves = rollout.waves.map((w) => (w.index === wave.index ? wave : w));
  const started = rollout.status === 'accepted' && wave.jobIds.length > 0;
  const next = {
    ...rollout,
    waves,
    statistics: rolloutStatistics(waves),
    ...(started ? { status: 'running' as const, startedAt: now, statusMessage: undefined } : {}),
    updatedAt: now,
  };
  if (JSON.stringify(next.waves) === JSON.stringify(rollout.waves) && !started) return rollout;
  // A stale revision throws ConcurrencyError: the whole step is decided again on fresh state.
  return deps.rollouts.update(next);
}

/**
 * The rollout ended between recording the chunks and creating them (a cancel, a threshold crossed
 * or its window's close, written by another step or request): the new chunks are cancelled too,
 * so none runs for a rollout that has ended.
 */
async function cancelIfEndedMeanwhile(
  rolloutId: string,
  jobIds: string[],
  deps: RolloutDeps,
): Promise<void> {
  const latest = await deps.rollouts.get(rolloutId);
  if (latest !== undefined && isRolloutTerminal(latest.status)) {
    await cancelChunkJobs(jobIds, deps);
  }
}
