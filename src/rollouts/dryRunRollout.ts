import { chunkCapacity, listedLength } from './chunkDeviceIds';
import { readProducerBlob } from './createRollout';
import { estimateRollout, type RolloutDryRunResponse } from './estimateRollout';
import { planRollout, summarizeWaves } from './planRollout';
import type { PlannedChunk } from './rollout';
import type { RolloutDeps } from './rolloutDeps';
import type { RolloutRequest } from './rolloutRequestSchema';
import { verifyReserve } from './verifyClause';
import { waveRanges } from './waveRanges';

/** Counting every chunk of a grouped id list costs a query each; beyond this many, it is not done. */
const maxCountQueries = 20;

/**
 * What a rollout would do, and how long it would take, without storing or sending anything: the
 * devices (a `COUNT()` for a condition, the de-duplicated length for ids), its waves and chunk
 * jobs, and an ETA from the hub's device-operation rate plus the queries resolving would take.
 */
export async function dryRunRollout(
  request: RolloutRequest,
  deps: RolloutDeps,
): Promise<RolloutDryRunResponse> {
  const { targets, waves } = request;
  const reserve = verifyReserve(request);
  const rates = {
    deviceOperationsPerSecond: deps.rolloutOptions.deviceOperationsPerSecond,
    queriesPerMinute: deps.rolloutOptions.queriesPerMinute,
  };
  if (targets.kind === 'queryCondition') {
    if (waves === undefined || 'groups' in waves) {
      const chunks = planRollout({ queryCondition: targets.queryCondition }, waves);
      const counted = await countChunks(chunks, deps);
      return estimateRollout({ ...rates, waves: counted, devicesToResolve: 0 });
    }
    const deviceCount = await deps.fleet.countDevices(targets.queryCondition);
    const perChunk = await idsPerChunkEstimate(targets.queryCondition, reserve, deps);
    const sized = waveRanges(deviceCount, waves).map(({ start, end }) => ({
      deviceCount: end - start,
      jobCount: Math.ceil((end - start) / perChunk),
    }));
    return estimateRollout({ ...rates, waves: sized, devicesToResolve: deviceCount });
  }
  const deviceIds =
    targets.kind === 'deviceIds'
      ? targets.deviceIds
      : await readProducerBlob(targets.deviceIdsBlob, deps);
  const chunks = planRollout({ deviceIds }, waves, reserve);
  const grouped = waves !== undefined && 'groups' in waves;
  const planned =
    grouped && chunks.length <= maxCountQueries
      ? await countChunks(chunks, deps)
      : summarizeWaves(chunks).map((wave) => ({
          // A grouped list too long to count shows the ids each wave names: an upper bound.
          deviceCount: wave.deviceCount ?? deviceIds.length,
          jobCount: wave.jobCount,
        }));
  return estimateRollout({ ...rates, waves: planned, devicesToResolve: 0 });
}

/** One `COUNT()` per chunk, summed per wave. */
async function countChunks(
  chunks: readonly PlannedChunk[],
  deps: RolloutDeps,
): Promise<{ deviceCount: number; jobCount: number }[]> {
  const waves: { deviceCount: number; jobCount: number }[] = [];
  for (const chunk of chunks) {
    const wave = (waves[chunk.wave - 1] ??= { deviceCount: 0, jobCount: 0 });
    wave.deviceCount += chunk.deviceCount ?? (await deps.fleet.countDevices(chunk.queryCondition));
    wave.jobCount += 1;
  }
  return waves;
}

/**
 * How many of the condition's ids one chunk would hold, from the first page of them (one query):
 * chunk sizes depend on the ids' lengths, which only the hub knows.
 */
async function idsPerChunkEstimate(
  queryCondition: string,
  reserve: number,
  deps: RolloutDeps,
): Promise<number> {
  const sample = await deps.fleet.queryDeviceIds(queryCondition, { pageSize: 100 });
  if (sample.items.length === 0) return 1;
  const listed = sample.items.reduce((sum, id) => sum + listedLength(id), 0);
  return Math.max(1, Math.floor(chunkCapacity(reserve) / (listed / sample.items.length)));
}
