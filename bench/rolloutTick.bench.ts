import type { BenchRow } from './benchRow';
import { composeBenchServices, type BenchServices } from './support/benchServices';
import { startBenchStack, countHubRequests, type BenchStack } from './support/benchStack';
import { note } from './support/stats';
import { pollActiveJobs } from '../src/jobs/pollActiveJobs';
import { advanceActiveRollouts } from '../src/rollouts/advanceActiveRollouts';
import { createRollout } from '../src/rollouts/createRollout';
import type { RolloutDeps } from '../src/rollouts/rolloutDeps';

const devices = 100_000;
const early = 5;
const late = 40;

interface TickCost {
  hubCalls: number;
  tableRequests: number;
}

/**
 * Issue 10 benchmark: what one poll tick costs while a 100,000-device rollout with retries is in
 * flight (one chunk at a time, as on S1), early in it and much later, against a tick with no
 * rollout: the cost must follow the chunks in flight, not how many have run.
 */
export default async function rolloutTick(): Promise<BenchRow[]> {
  const stack = await startBenchStack({
    tier: 'S3',
    devices,
    seed: 11,
    limits: {
      maxActiveJobs: 1,
      jobsOperationsPerMinute: 0,
      queriesPerMinute: 0,
      deviceOperationsPerSecond: 0,
    },
  });
  try {
    const bench = composeBenchServices(
      stack.appEnv({
        HUB_TIER: 'S3',
        HUB_MAX_ACTIVE_JOBS: '1',
        HUB_DEVICE_OPS_PER_SECOND: '100000',
      }),
    );
    const deps = bench.deps as RolloutDeps;
    await tick(bench, deps);
    const none = await measuredTick(stack, bench, deps);
    const ids = Array.from(
      { length: devices },
      (_, i) => `device-${String(i + 1).padStart(5, '0')}`,
    );
    await createRollout(
      {
        request: {
          operation: {
            type: 'scheduleDeviceMethod',
            cloudToDeviceMethod: { methodName: 'reboot' },
          },
          targets: { kind: 'deviceIds', deviceIds: ids },
          retry: { outcomes: ['offline'], maxAttempts: 2, delaySeconds: 0 },
          maxExecutionTimeInSeconds: 3600,
          dryRun: false,
        },
        rolloutId: 'tick-bench',
        mode: 'put',
      },
      deps,
    );
    const atEarly = await runUntilChunks(stack, bench, deps, early);
    const atLate = await runUntilChunks(stack, bench, deps, late);
    const rollout = await deps.rollouts.get('tick-bench');
    note(
      `rollout: ${rollout?.waves[0]?.chunkCount} chunks planned, ${rollout?.waves[0]?.jobIds.length} created`,
    );
    const same = (a: number, b: number) => Math.abs(a - b) <= 1;
    return [
      { name: 'poll tick, no rollout: hub calls', value: none.hubCalls, unit: 'calls' },
      {
        name: 'poll tick, no rollout: table requests',
        value: none.tableRequests,
        unit: 'requests',
      },
      {
        name: `poll tick, 100k-device rollout after ${early} chunks: hub calls`,
        value: atEarly.hubCalls,
        unit: 'calls',
      },
      {
        name: `poll tick, 100k-device rollout after ${early} chunks: table requests`,
        value: atEarly.tableRequests,
        unit: 'requests',
      },
      {
        name: `poll tick, 100k-device rollout after ${late} chunks: hub calls`,
        value: atLate.hubCalls,
        unit: 'calls',
        target: `= after ${early} (±1)`,
        met: same(atLate.hubCalls, atEarly.hubCalls),
      },
      {
        name: `poll tick, 100k-device rollout after ${late} chunks: table requests`,
        value: atLate.tableRequests,
        unit: 'requests',
        target: `= after ${early} (±1)`,
        met: same(atLate.tableRequests, atEarly.tableRequests),
      },
    ];
  } finally {
    await stack.close();
  }
}

/** The poll timer's work: the jobs' tick, then the rollouts' step. */
async function tick(bench: BenchServices, deps: RolloutDeps): Promise<void> {
  await pollActiveJobs(deps, bench.pollOptions);
  await advanceActiveRollouts(deps);
}

async function measuredTick(
  stack: BenchStack,
  bench: BenchServices,
  deps: RolloutDeps,
): Promise<TickCost> {
  await stack.admin.resetRequestCounts();
  const before = bench.tableRequests() - bench.budgetRequests();
  await tick(bench, deps);
  return {
    hubCalls: await countHubRequests(stack.admin),
    tableRequests: bench.tableRequests() - bench.budgetRequests() - before,
  };
}

/** Ticks until `chunks` chunks exist, then measures the next tick (a chunk ends in each). */
async function runUntilChunks(
  stack: BenchStack,
  bench: BenchServices,
  deps: RolloutDeps,
  chunks: number,
): Promise<TickCost> {
  for (let i = 0; i < chunks * 4; i++) {
    const created = (await deps.rollouts.get('tick-bench'))?.waves[0]?.jobIds.length ?? 0;
    if (created >= chunks) break;
    await tick(bench, deps);
  }
  // A steady tick: the running chunk has ended at the hub; import, hand-over, next chunk.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return measuredTick(stack, bench, deps);
}
