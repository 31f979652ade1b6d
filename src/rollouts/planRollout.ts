import { maxHubQueryLength } from '../core/deviceIdCondition';
import { ValidationError } from '../core/errors';
import { chunkCapacity, chunkEnds, deviceIdListCondition, minimumChunks } from './chunkDeviceIds';
import { groupWaveCondition, groupWaveOverhead, refuseOverlongGroupWave } from './groupWaves';
import type { PlannedChunk, WavesSpec } from './rollout';
import { waveRanges, type IdRange } from './waveRanges';

/** What planning splits: a condition the hub resolves, or device ids (given or resolved). */
export type PlanTargets = { queryCondition: string } | { deviceIds: readonly string[] };

/**
 * The rollout's chunks, deterministic for the same input: waves, then chunks whose whole query
 * fits the hub's limit. A condition with size waves must be resolved to ids first. `reserve`
 * characters of each chunk's id list are left free: a verified rollout's queries list a chunk's
 * devices with its comparison clause added (src/rollouts/verifyClause.ts).
 */
export function planRollout(targets: PlanTargets, waves?: WavesSpec, reserve = 0): PlannedChunk[] {
  const groups = waves !== undefined && 'groups' in waves ? waves.groups : undefined;
  if ('queryCondition' in targets) {
    if (groups !== undefined) return planConditionGroups(targets.queryCondition, groups);
    if (waves !== undefined) {
      throw new Error('size waves over a query condition need its device ids: resolve it first');
    }
    return [{ wave: 1, chunk: 1, queryCondition: targets.queryCondition }];
  }
  if (groups !== undefined) return planIdGroups(targets.deviceIds, groups, reserve);
  const chunks: PlannedChunk[] = [];
  waveRanges(targets.deviceIds.length, waves).forEach((range, index) => {
    const capacity = chunkCapacity(reserve);
    pushIdChunks(chunks, targets.deviceIds, range, index + 1, capacity, (list) => list, false);
  });
  return chunks;
}

function planConditionGroups(condition: string, groups: readonly string[]): PlannedChunk[] {
  return groups.map((_, index) => {
    const wave = index + 1;
    const queryCondition = groupWaveCondition(condition, groups, wave);
    refuseOverlongGroupWave(queryCondition, wave, condition.length);
    return { wave, chunk: 1, queryCondition };
  });
}

/** Every wave names all the ids; the hub keeps those in the wave's group. */
function planIdGroups(
  ids: readonly string[],
  groups: readonly string[],
  reserve: number,
): PlannedChunk[] {
  const chunks: PlannedChunk[] = [];
  const range = { start: 0, end: ids.length };
  groups.forEach((_, index) => {
    const wave = index + 1;
    // The job's query wraps the list in the group; a verification query adds its clause instead.
    const capacity = chunkCapacity(Math.max(groupWaveOverhead(groups, wave), reserve));
    const wrap = (list: string) => groupWaveCondition(list, groups, wave);
    pushIdChunks(chunks, ids, range, wave, capacity, wrap, true);
  });
  return chunks;
}

function pushIdChunks(
  chunks: PlannedChunk[],
  ids: readonly string[],
  range: IdRange,
  wave: number,
  capacity: number,
  wrap: (list: string) => string,
  grouped: boolean,
): void {
  const ends = chunkEnds(ids, range.start, range.end, capacity);
  if (ends === undefined) throw noRoomError(wave, grouped);
  let start = range.start;
  ends.forEach((end, index) => {
    const queryCondition = wrap(deviceIdListCondition(ids, start, end));
    const chunk: PlannedChunk = { wave, chunk: index + 1, queryCondition };
    // A group wave's devices are those of its ids the hub finds in the group: unknown here.
    if (!grouped) chunk.deviceCount = end - start;
    chunks.push(chunk);
    start = end;
  });
}

function noRoomError(wave: number, grouped: boolean): ValidationError {
  const field = grouped ? `waves.groups.${wave - 1}` : 'targets.deviceIds';
  const message = grouped
    ? `leaves no room for a device id in wave ${wave}'s query within IoT Hub's limit of ${maxHubQueryLength}: shorten the groups`
    : `cannot fit a device id into a query within IoT Hub's limit of ${maxHubQueryLength}`;
  return new ValidationError([{ field, message }]);
}

/**
 * The fewest chunk jobs the hub's 8,192-character limit allows for these ids and waves: per wave,
 * its ids' listed characters over one chunk's room (a lower bound no split can beat).
 */
export function minimumChunkCount(ids: readonly string[], waves?: WavesSpec, reserve = 0): number {
  if (waves !== undefined && 'groups' in waves) {
    return waves.groups.reduce((sum, _, index) => {
      const overhead = Math.max(groupWaveOverhead(waves.groups, index + 1), reserve);
      return sum + minimumChunks(ids, 0, ids.length, chunkCapacity(overhead));
    }, 0);
  }
  return waveRanges(ids.length, waves).reduce(
    (sum, range) => sum + minimumChunks(ids, range.start, range.end, chunkCapacity(reserve)),
    0,
  );
}

export interface WaveSummary {
  index: number;
  /** Absent when the hub resolves the wave's devices (a condition or group wave). */
  deviceCount?: number;
  jobCount: number;
}

/** Per wave: its chunk jobs and, when every chunk names its devices, their count. */
export function summarizeWaves(chunks: readonly PlannedChunk[]): WaveSummary[] {
  const waves: WaveSummary[] = [];
  for (const chunk of chunks) {
    let wave = waves[chunk.wave - 1];
    if (wave === undefined) {
      wave = { index: chunk.wave, jobCount: 0, deviceCount: 0 };
      waves[chunk.wave - 1] = wave;
    }
    wave.jobCount += 1;
    if (chunk.deviceCount === undefined) delete wave.deviceCount;
    else if (wave.deviceCount !== undefined) wave.deviceCount += chunk.deviceCount;
  }
  return waves;
}
