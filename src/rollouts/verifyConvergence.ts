import { allPages } from '../core/page';
import { resultsImported } from '../jobs/jobLifecycle';
import { chunkCapacity, chunkEnds, deviceIdListCondition } from './chunkDeviceIds';
import { sumFailureCounts } from './failureThreshold';
import type { VerifiedDevice } from './ports';
import {
  parseChunkJobId,
  type StoredRollout,
  type VerifyingChunk,
  type WaveState,
  type WaveVerification,
} from './rollout';
import { justEndedJobIds, type ChunkJobs } from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';
import { clauseOf, stragglersCondition, verifyQueryOverhead } from './verifyClause';

/** How soon a chunk whose device results are still being imported is looked at again. */
const importWaitMs = 2000;

/** The hub's largest device-query page: while at most this many differ, a round is one query. */
const stragglerPageSize = 100;

/**
 * A verified rollout's chunks that just ended join the wave's verifying ones: the hub wrote the
 * patch to their succeeded devices, which now count as running until their reported properties
 * match or `reportedWithinSeconds` after the chunk's end has passed (docs/rollouts.md).
 */
export function startVerifying(
  rollout: StoredRollout,
  before: WaveState,
  settled: WaveState,
  jobs: ChunkJobs,
  nowIso: string,
): WaveState {
  const { verify } = rollout.spec;
  if (verify === undefined) return settled;
  const started: VerifyingChunk[] = [];
  for (const jobId of justEndedJobIds(before, settled)) {
    const job = jobs.get(jobId);
    if (job === undefined || job.statistics.succeededCount === 0) continue;
    const endedMs = Date.parse(job.endedAt ?? nowIso);
    started.push({
      jobId,
      deadline: new Date(endedMs + verify.reportedWithinSeconds * 1000).toISOString(),
      nextRoundAt: nowIso,
      rounds: 0,
      awaiting: job.statistics.succeededCount,
    });
  }
  if (started.length === 0) return settled;
  return { ...settled, verifying: [...(settled.verifying ?? []), ...started] };
}

/**
 * Runs each due round: one query per chunk (a page per 100 devices still different) over the
 * devices not yet seen converged. Those that match are marked converged; past the deadline the
 * rest are `notConverged`. A chunk waits for its device results to be imported first, since the
 * devices to check are those the hub wrote the patch to.
 */
export async function runVerificationRounds(
  rollout: StoredRollout,
  wave: WaveState,
  deps: RolloutDeps,
): Promise<WaveState> {
  const due = (wave.verifying ?? []).filter((chunk) => isDue(chunk, deps));
  if (due.length === 0) return wave;
  const clause = clauseOf(rollout.spec.operation);
  const verification = { ...(wave.verification ?? emptyVerification) };
  const next = new Map<string, VerifyingChunk | undefined>();
  let notConverged = 0;
  for (const chunk of due) {
    const round = await verificationRound(rollout.rolloutId, chunk, clause, deps);
    next.set(chunk.jobId, round.chunk);
    if (round.queries === 0) continue;
    verification.queries += round.queries;
    verification.rounds += 1;
    notConverged += round.notConverged;
  }
  verification.notConverged += notConverged;
  const verifying = (wave.verifying ?? []).flatMap((chunk) => {
    if (!next.has(chunk.jobId)) return [chunk];
    const after = next.get(chunk.jobId);
    return after === undefined ? [] : [after];
  });
  return {
    ...wave,
    verifying,
    verification,
    ...(notConverged === 0
      ? {}
      : { failureCounts: sumFailureCounts([wave.failureCounts ?? {}, { notConverged }]) }),
  };
}

const emptyVerification: WaveVerification = { queries: 0, rounds: 0, notConverged: 0 };

function isDue(chunk: VerifyingChunk, deps: RolloutDeps): boolean {
  return Date.parse(chunk.nextRoundAt) <= deps.clock.now().getTime();
}

interface RoundResult {
  /** The chunk as it goes on, or undefined once every device is decided. */
  chunk: VerifyingChunk | undefined;
  queries: number;
  notConverged: number;
}

async function verificationRound(
  rolloutId: string,
  chunk: VerifyingChunk,
  clause: string,
  deps: RolloutDeps,
): Promise<RoundResult> {
  const job = await deps.jobStore.get(chunk.jobId);
  if (job === undefined || !resultsImported(job)) {
    const nextRoundAt = new Date(deps.clock.now().getTime() + importWaitMs).toISOString();
    return { chunk: { ...chunk, nextRoundAt }, queries: 0, notConverged: 0 };
  }
  const attempt = parseChunkJobId(chunk.jobId)?.attempt ?? 1;
  const awaiting =
    chunk.awaitingBlob === undefined
      ? await patchedDevices(chunk.jobId, deps)
      : await deps.deviceIdBlobs.readOwn(chunk.awaitingBlob);
  const { stragglers, queries } = await queryStragglers(awaiting, clause, deps);
  const nowMs = deps.clock.now().getTime();
  const pastDeadline = nowMs >= Date.parse(chunk.deadline);
  const verdict = (deviceId: string, verification: VerifiedDevice['verification']) =>
    ({ deviceId, jobId: chunk.jobId, attempt, verification }) as const;
  const verdicts = awaiting.flatMap((deviceId) =>
    !stragglers.has(deviceId)
      ? [verdict(deviceId, 'converged')]
      : pastDeadline
        ? [verdict(deviceId, 'notConverged')]
        : [],
  );
  await deps.rolloutDeviceResults.recordVerified(rolloutId, verdicts);
  const left = awaiting.filter((deviceId) => stragglers.has(deviceId));
  if (pastDeadline || left.length === 0) {
    return { chunk: undefined, queries, notConverged: pastDeadline ? left.length : 0 };
  }
  const rounds = chunk.rounds + 1;
  const awaitingBlob = await deps.deviceIdBlobs.writeOwn(
    `${rolloutId}/verify/${chunk.jobId}-r${rounds}.txt`,
    left,
  );
  const nextMs = Math.min(
    nowMs + deps.rolloutOptions.verifyIntervalSeconds * 1000,
    Date.parse(chunk.deadline),
  );
  const after = {
    ...chunk,
    rounds,
    awaiting: left.length,
    awaitingBlob,
    nextRoundAt: new Date(nextMs).toISOString(),
  };
  return { chunk: after, queries, notConverged: 0 };
}

/** The chunk's devices the hub wrote the patch to: its imported results that completed. */
async function patchedDevices(jobId: string, deps: RolloutDeps): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of allPages((continuationToken) =>
    deps.deviceResultStore.list(
      jobId,
      { status: 'completed' },
      { pageSize: 1000, ...(continuationToken === undefined ? {} : { continuationToken }) },
    ),
  )) {
    ids.push(...page.items.map((result) => result.deviceId));
  }
  return ids;
}

/**
 * The listed devices whose reported properties still differ, in as few queries as fit: the ids
 * go into `deviceId IN [...] AND (<clause>)` lists within the hub's query limit, each read page by
 * page. The planner left room for the clause, so a chunk's devices always fit one list.
 */
async function queryStragglers(
  deviceIds: readonly string[],
  clause: string,
  deps: RolloutDeps,
): Promise<{ stragglers: Set<string>; queries: number }> {
  const stragglers = new Set<string>();
  let queries = 0;
  const capacity = chunkCapacity(verifyQueryOverhead(clause));
  const ends = chunkEnds(deviceIds, 0, deviceIds.length, capacity);
  // Intake refuses a clause that leaves no room for the longest device id.
  if (ends === undefined) throw new Error('A device id does not fit a verification query.');
  let start = 0;
  for (const end of ends) {
    const condition = stragglersCondition(deviceIdListCondition(deviceIds, start, end), clause);
    start = end;
    for await (const page of allPages((continuationToken) =>
      deps.fleet.queryDeviceIds(condition, {
        pageSize: stragglerPageSize,
        ...(continuationToken === undefined ? {} : { continuationToken }),
      }),
    )) {
      queries += 1;
      for (const deviceId of page.items) stragglers.add(deviceId);
    }
  }
  return { stragglers, queries };
}

/** Seconds until the wave's next verification round, or undefined when none is pending. */
export function secondsUntilNextRound(wave: WaveState, nowMs: number): number | undefined {
  const next = (wave.verifying ?? []).map((chunk) => Date.parse(chunk.nextRoundAt));
  if (next.length === 0) return undefined;
  return Math.max(0, (Math.min(...next) - nowMs) / 1000);
}
