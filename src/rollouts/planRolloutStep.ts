import { emptyStatistics } from '../jobs/job';
import { planRollout, summarizeWaves, type WaveSummary } from './planRollout';
import type {
  PlannedChunk,
  RolloutPlanProgress,
  StoredRollout,
  WaveState,
  WavesSpec,
} from './rollout';
import type { RolloutDeps } from './rolloutDeps';
import { verifyReserve } from './verifyClause';
import { updateRolloutGuarded } from './updateRolloutGuarded';

/** The hub's largest device-query page. */
const resolvePageSize = 100;

/**
 * Plans a rollout: resolves a condition to ids when its waves are sized (a few pages a step,
 * resumable), splits the ids into waves and chunks, writes the chunks, then the waves. Answers
 * the rollout as stored: `planned`, or still `resolving` with more pages to go.
 */
export async function planRolloutStep(
  rollout: StoredRollout,
  deps: RolloutDeps,
): Promise<StoredRollout> {
  const { targets, waves } = rollout.spec;
  const reserve = verifyReserve(rollout.spec);
  let planned: PlannedChunk[];
  let progress = rollout.plan;
  if (targets.kind === 'queryCondition' && !sizedWaves(waves)) {
    planned = planRollout({ queryCondition: targets.queryCondition }, waves);
  } else if (targets.kind === 'queryCondition') {
    progress = await resolvePages(rollout, targets.queryCondition, deps);
    if (progress.continuationToken !== undefined) return saveProgress(rollout, progress, deps);
    planned = planRollout({ deviceIds: await readResolved(progress, deps) }, waves, reserve);
  } else if (targets.kind === 'deviceIds') {
    const deviceIds = await deps.deviceIdBlobs.readOwn(targets.blobName);
    planned = planRollout({ deviceIds }, waves, reserve);
  } else {
    throw new Error(
      `Rollout ${rollout.rolloutId}: targets of kind ${targets.kind} are read at intake`,
    );
  }
  await deps.rolloutChunks.put(rollout.rolloutId, planned);
  const waveStates = summarizeWaves(planned).map((wave) => toWaveState(wave, waves));
  const now = deps.clock.now().toISOString();
  const { rollout: stored } = await updateRolloutGuarded(deps.rollouts, rollout, (current) =>
    current.plan.state === 'planned'
      ? undefined
      : {
          ...current,
          plan: { ...progress, state: 'planned' },
          waves: waveStates,
          updatedAt: now,
        },
  );
  return stored;
}

function sizedWaves(waves: WavesSpec | undefined): boolean {
  return waves !== undefined && !('groups' in waves);
}

function toWaveState(wave: WaveSummary, waves: WavesSpec | undefined): WaveState {
  const groupCondition =
    waves !== undefined && 'groups' in waves ? waves.groups[wave.index - 1] : undefined;
  return {
    index: wave.index,
    status: 'pending',
    ...(groupCondition === undefined ? {} : { groupCondition }),
    ...(wave.deviceCount === undefined ? {} : { deviceCount: wave.deviceCount }),
    chunkCount: wave.jobCount,
    jobIds: [],
    statistics: { ...emptyStatistics },
  };
}

/**
 * Up to `resolvePagesPerStep` pages of `SELECT deviceId FROM devices WHERE …`, written to a blob
 * part named by the first page, so a repeated step rewrites the same part.
 */
async function resolvePages(
  rollout: StoredRollout,
  queryCondition: string,
  deps: RolloutDeps,
): Promise<RolloutPlanProgress> {
  const progress = rollout.plan;
  const firstPage = progress.resolvedPages ?? 0;
  if (firstPage > 0 && progress.continuationToken === undefined) return progress;
  const ids: string[] = [];
  let continuationToken = progress.continuationToken;
  let pages = 0;
  do {
    const page = await deps.fleet.queryDeviceIds(queryCondition, {
      pageSize: resolvePageSize,
      ...(continuationToken === undefined ? {} : { continuationToken }),
    });
    ids.push(...page.items);
    continuationToken = page.continuationToken;
    pages++;
  } while (continuationToken !== undefined && pages < deps.rolloutOptions.resolvePagesPerStep);
  const part = await deps.deviceIdBlobs.writeOwn(
    `${rollout.rolloutId}/resolved-${firstPage}.txt`,
    ids,
  );
  const { continuationToken: _previous, ...rest } = progress;
  return {
    ...rest,
    state: 'resolving',
    resolvedPages: firstPage + pages,
    resolvedCount: (progress.resolvedCount ?? 0) + ids.length,
    resolvedParts: [...(progress.resolvedParts ?? []), part],
    ...(continuationToken === undefined ? {} : { continuationToken }),
  };
}

async function readResolved(progress: RolloutPlanProgress, deps: RolloutDeps): Promise<string[]> {
  const seen = new Set<string>();
  for (const part of progress.resolvedParts ?? []) {
    for (const id of await deps.deviceIdBlobs.readOwn(part)) seen.add(id);
  }
  return [...seen];
}

async function saveProgress(
  rollout: StoredRollout,
  progress: RolloutPlanProgress,
  deps: RolloutDeps,
): Promise<StoredRollout> {
  const now = deps.clock.now().toISOString();
  // Unguarded by design: a stale revision throws, and the step starts over on fresh progress.
  return deps.rollouts.update({ ...rollout, plan: progress, updatedAt: now });
}
