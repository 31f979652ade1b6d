import type { BenchRow } from './benchRow';
import { startBenchStack, type BenchStack } from './support/benchStack';
import { burstMinimum, hubSlotBusyMs, type BurstMinimum } from './support/burstMinimum';
import { busiestMinute, jobsOperationRoutes, runBurst, type BurstResult } from './support/burstRun';
import { note, quantile } from './support/stats';
import type { HubAdminClient } from '../dev/hub-emulator/adminClient';
import { spawnLocalHost } from '../dev/host/spawnLocalHost';
import { hubBudgetLimits } from '../src/core/hubBudgetLimits';
import { loadSettings } from '../src/settings';

const jobCount = 30;
const concurrency = 10;
const hubLatencyMs = 50;
const deviceIds = ['device-00001', 'device-00002', 'device-00003'];
const method = { methodName: 'reboot', payload: { reason: 'bench' }, responseTimeoutInSeconds: 30 };
const queryCondition = `deviceId IN [${deviceIds.map((id) => `'${id}'`).join(', ')}]`;
/** S1's single job slot, with its rates ×10 so the burst runs in well under a minute or two. */
const s1Times10 = {
  maxActiveJobs: 1,
  jobsOperationsPerMinute: 1000,
  queriesPerMinute: 200,
  deviceOperationsPerSecond: 100,
};
/** The app's settings to match: S1 × 10 units, polled every second. */
const appSettings = { HUB_TIER: 'S1', HUB_UNITS: '10', POLL_INTERVAL_SECONDS: '1' };
const probeEveryMs = 250;
const burstTimeoutMs = 240_000;

type Requests = Awaited<ReturnType<HubAdminClient['requestCounts']>>;
type Answers = Awaited<ReturnType<HubAdminClient['answerCounts']>>;
interface Observed {
  result: BurstResult;
  requests: Requests;
  answers: Answers;
}

/**
 * Issue 8 benchmark: a burst of creates on S1's one job slot, through the local Functions host
 * over HTTP, until every job shows completed with complete device results; the time against the
 * least S1's quotas allow for that work, and what the hub was asked for meanwhile.
 */
export default async function burst(): Promise<BenchRow[]> {
  const stack = await startBenchStack({
    tier: 'S1',
    devices: 10,
    seed: 8,
    responseLatencyMs: hubLatencyMs,
    limits: s1Times10,
  });
  try {
    const env = stack.appEnv(appSettings);
    const limits = hubBudgetLimits(loadSettings(env));
    const observed = await burstThroughHost(stack, env);
    describe(observed);
    // The host is stopped by now, so the slot and the hub's rates serve this measurement alone.
    const job = { queryCondition, method };
    const minimum = await burstMinimum(stack, job, jobCount, limits);
    // Why the time is far above the minimum: a freed slot is seen at the poller's next tick.
    note(
      `the hub's slot was taken ${(hubSlotBusyMs(stack, observed.result.jobIds) / 1000).toFixed(1)} s ` +
        `of the burst's ${(observed.result.totalMs / 1000).toFixed(1)} s; one job a poll tick ` +
        `(POLL_INTERVAL_SECONDS 1) would take about ${jobCount} s`,
    );
    const budget = limits.perMinute.jobsOperations;
    const slowPoll = await slowPollRows(stack, env, minimum);
    return [...timeRows(observed.result, minimum), ...hubRows(observed, budget), ...slowPoll];
  } finally {
    await stack.close();
  }
}

/** The local host over this stack: one warm-up job, then the burst, with the hub's counts. */
async function burstThroughHost(
  stack: BenchStack,
  env: Record<string, string>,
  pollSeconds = 1,
): Promise<Observed> {
  const host = await spawnLocalHost({
    env: {
      ...env,
      HOST_PORT: '0',
      POLL_SCHEDULE: `*/${pollSeconds} * * * * *`,
      POLL_INTERVAL_SECONDS: String(pollSeconds),
    },
    readyTimeoutMs: 60_000,
  });
  const burstOf = (count: number, atOnce: number) =>
    runBurst({
      baseUrl: host.baseUrl,
      admin: stack.admin,
      jobCount: count,
      concurrency: atOnce,
      body: { type: 'scheduleDeviceMethod', deviceIds, cloudToDeviceMethod: method },
      probeEveryMs,
      timeoutMs: burstTimeoutMs,
    });
  try {
    // A running app is warm: one job first, to its end, so the burst does not time the host's
    // first requests (its tables and queue created on first use); cold start has its own row.
    await burstOf(1, 1);
    await stack.admin.resetRequestCounts();
    const result = await burstOf(jobCount, concurrency);
    const [requests, answers] = await Promise.all([
      stack.admin.requestCounts(),
      stack.admin.answerCounts(),
    ]);
    return { result, requests, answers };
  } catch (error) {
    note(`host output (tail):\n${host.output().slice(-4000)}`);
    throw error;
  } finally {
    await host.stop();
  }
}

/** Polled every 10 s, one job a tick would take 10 s a job; `followJob` hands each slot on sooner. */
const slowPollSeconds = 10;

async function slowPollRows(
  stack: BenchStack,
  env: Record<string, string>,
  minimum: BurstMinimum,
): Promise<BenchRow[]> {
  await stack.admin.clearOperations();
  const observed = await burstThroughHost(stack, env, slowPollSeconds);
  const seconds = observed.result.totalMs / 1000;
  const name = `burst, polled every ${slowPollSeconds} s`;
  return [
    { name: `${name}: until all results complete`, value: seconds, unit: 's' },
    {
      name: `${name}: one job a poll tick would take`,
      value: jobCount * slowPollSeconds,
      unit: 's',
    },
    { name: `${name}: time ÷ minimum`, value: seconds / minimum.seconds, unit: '×' },
  ];
}

function describe({ result, requests, answers }: Observed): void {
  note(`hub requests during the burst: ${JSON.stringify(requests)}`);
  note(`hub answers during the burst: ${JSON.stringify(answers)}`);
  const created = result.statuses.filter((status) => status === 201).length;
  note(`creates answered 201 ×${created}, 202 ×${jobCount - created}`);
  note(
    `create latencies in call order: ${result.createMs.map((ms) => ms.toFixed(0)).join(' ')} ms`,
  );
}

function timeRows(result: BurstResult, minimum: BurstMinimum): BenchRow[] {
  const seconds = result.totalMs / 1000;
  const name = `burst ${jobCount} × 3 devices at ${concurrency}, S1 ×10`;
  return [
    { name: `${name}: until all results complete`, value: seconds, unit: 's' },
    {
      name: `${name}: minimum the quotas allow (slot: ${jobCount} × ${minimum.singleJobMs.toFixed(0)} ms)`,
      value: minimum.seconds,
      unit: 's',
    },
    { name: 'burst: time ÷ minimum', value: seconds / minimum.seconds, unit: '×' },
    { name: 'burst: create latency p50', value: quantile(result.createMs, 0.5), unit: 'ms' },
    { name: 'burst: create latency p95', value: quantile(result.createMs, 0.95), unit: 'ms' },
  ];
}

function hubRows({ result, requests, answers }: Observed, budget: number): BenchRow[] {
  const jobsOperations = jobsOperationRoutes.reduce(
    (sum, route) => sum + (requests[route] ?? 0),
    0,
  );
  const throttled = Object.values(answers)
    .flatMap((byAnswer) => Object.entries(byAnswer ?? {}))
    .filter(([answer]) => answer.startsWith('429'))
    .reduce((sum, [, count]) => sum + (count ?? 0), 0);
  const createsPerJob = (requests['jobs.create'] ?? 0) / jobCount;
  const busiest = busiestMinute(result.samples);
  return [
    { name: 'burst: jobs operations per job', value: jobsOperations / jobCount, unit: 'ops' },
    {
      name: 'burst: device queries per job',
      value: (requests['devices.query'] ?? 0) / jobCount,
      unit: 'queries',
    },
    {
      name: `burst: jobs operations in the busiest 60 s (hubjobs' budget)`,
      value: busiest,
      unit: 'ops',
      target: `≤ ${budget}`,
      met: busiest <= budget,
    },
    {
      name: 'burst: 429 answers from the hub',
      value: throttled,
      unit: 'answers',
      target: '0',
      met: throttled === 0,
    },
    {
      name: 'burst: hub creates per job',
      value: createsPerJob,
      unit: '×',
      target: '≤ 1.05×',
      met: createsPerJob <= 1.05,
    },
  ];
}
