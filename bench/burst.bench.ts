import type { BenchRow } from './benchRow';
import { startBenchStack, type BenchStack } from './support/benchStack';
import { busiestMinute, runBurst, type BurstResult } from './support/burstRun';
import { timeOneHubJob } from './support/oneHubJob';
import { median, note, quantile } from './support/stats';
import { spawnLocalHost } from '../dev/host/spawnLocalHost';
import { hubBudgetLimits, type HubBudgetLimits } from '../src/core/hubBudgetLimits';
import { loadSettings } from '../src/settings';

const jobCount = 30;
const concurrency = 10;
const hubLatencyMs = 50;
const deviceIds = ['device-00001', 'device-00002', 'device-00003'];
const method = { methodName: 'reboot', payload: { reason: 'bench' }, responseTimeoutInSeconds: 30 };
/** S1's single job slot, with its rates ×10 so the burst runs in well under a minute or two. */
const s1Times10 = {
  maxActiveJobs: 1,
  jobsOperationsPerMinute: 1000,
  queriesPerMinute: 200,
  deviceOperationsPerSecond: 100,
};
/** The app's settings to match: S1 × 10 units, polled every second. */
const appSettings = { HUB_TIER: 'S1', HUB_UNITS: '10', POLL_INTERVAL_SECONDS: '1' };
const singleJobRounds = 5;
const probeEveryMs = 250;
const burstTimeoutMs = 240_000;

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
    return await measure(stack);
  } finally {
    await stack.close();
  }
}

async function measure(stack: BenchStack): Promise<BenchRow[]> {
  const env = stack.appEnv(appSettings);
  const host = await spawnLocalHost({
    env: { ...env, HOST_PORT: '0', POLL_SCHEDULE: '*/1 * * * * *' },
    readyTimeoutMs: 60_000,
  });
  let result: BurstResult;
  let requests: Awaited<ReturnType<BenchStack['admin']['requestCounts']>>;
  let answers: Awaited<ReturnType<BenchStack['admin']['answerCounts']>>;
  try {
    await stack.admin.resetRequestCounts();
    result = await runBurst({
      baseUrl: host.baseUrl,
      admin: stack.admin,
      jobCount,
      concurrency,
      body: { type: 'scheduleDeviceMethod', deviceIds, cloudToDeviceMethod: method },
      probeEveryMs,
      timeoutMs: burstTimeoutMs,
    });
    [requests, answers] = await Promise.all([
      stack.admin.requestCounts(),
      stack.admin.answerCounts(),
    ]);
  } catch (error) {
    note(`host output (tail):\n${host.output().slice(-4000)}`);
    throw error;
  } finally {
    await host.stop();
  }
  note(`hub requests during the burst: ${JSON.stringify(requests)}`);
  note(`hub answers during the burst: ${JSON.stringify(answers)}`);
  const created = result.statuses.filter((status) => status === 201).length;
  note(`creates answered 201 ×${created}, 202 ×${jobCount - created}`);
  const slotBusyMs = hubSlotBusyMs(stack);
  // The host is stopped, so the slot and the hub's rates belong to this measurement alone.
  const singleJobMs = await medianOneHubJobMs(stack);
  const limits = hubBudgetLimits(loadSettings(env));
  const minimum = minimumSeconds(singleJobMs, limits);
  note(`the hub's slot was taken ${(slotBusyMs / 1000).toFixed(1)} s of the burst's run`);
  return rows(result, requests, answers, minimum);
}

/**
 * The least time S1's quotas (×10 here) allow for the burst's work, the largest of three bounds:
 * - slot: one active job at a time, so the jobs run one after another; each takes at least what
 *   the fastest client needs for one job alone on this hub (create, the hub runs its 3 devices at
 *   the device-operation rate, a getJob sees it completed), measured in this run;
 * - jobs operations: each job needs at least a create and one getJob that sees it ended;
 * - queries: each job's 3 device results fit one page, so at least one query.
 * For the two rates, hubjobs may spend its budget (the hub's quota × HUB_QUOTA_SHARE), and both
 * the budget and the hub let a minute's worth through at once, so `n` calls on a limit of `L`
 * a minute need max(0, n − L) / L minutes.
 */
function minimumSeconds(singleJobMs: number, limits: HubBudgetLimits) {
  const rateBound = (calls: number, perMinute: number) =>
    (Math.max(0, calls - perMinute) / perMinute) * 60;
  const bounds = {
    slot: (jobCount * singleJobMs) / 1000,
    jobsOperations: rateBound(jobCount * 2, limits.perMinute.jobsOperations),
    queries: rateBound(jobCount, limits.perMinute.queries),
  };
  note(
    `minimum = max(slot ${jobCount} × ${singleJobMs.toFixed(0)} ms = ${bounds.slot.toFixed(2)} s, ` +
      `jobs ops max(0, ${jobCount * 2} − ${limits.perMinute.jobsOperations}) / ` +
      `${limits.perMinute.jobsOperations} min = ${bounds.jobsOperations.toFixed(2)} s, ` +
      `queries max(0, ${jobCount} − ${limits.perMinute.queries}) / ` +
      `${limits.perMinute.queries} min = ${bounds.queries.toFixed(2)} s)`,
  );
  return { seconds: Math.max(...Object.values(bounds)), singleJobMs, limits };
}

async function medianOneHubJobMs(stack: BenchStack): Promise<number> {
  const times: number[] = [];
  const queryCondition = `deviceId IN [${deviceIds.map((id) => `'${id}'`).join(', ')}]`;
  for (let round = 0; round < singleJobRounds; round++) {
    times.push(await timeOneHubJob(stack.hub, { queryCondition, method }));
  }
  note(`one job alone on the hub: ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  return median(times);
}

/** How long the hub held a job in its slot, from each create to that job's end. */
function hubSlotBusyMs(stack: BenchStack): number {
  let busy = 0;
  for (const job of stack.hub.model.jobs.jobsInOrder()) {
    if (job.endAt !== undefined) busy += job.endAt - job.createdAt;
  }
  return busy;
}

function rows(
  result: BurstResult,
  requests: Partial<Record<string, number>>,
  answers: Partial<Record<string, Partial<Record<string, number>>>>,
  minimum: ReturnType<typeof minimumSeconds>,
): BenchRow[] {
  const seconds = result.totalMs / 1000;
  const count = (route: string) => requests[route] ?? 0;
  const jobsOps = ['jobs.create', 'jobs.get', 'jobs.cancel', 'jobs.query'].map(count);
  const throttled = Object.values(answers)
    .flatMap((byAnswer) => Object.entries(byAnswer ?? {}))
    .filter(([answer]) => answer.startsWith('429'))
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
  const createsPerJob = count('jobs.create') / jobCount;
  const busiest = busiestMinute(result.samples);
  const budget = minimum.limits.perMinute.jobsOperations;
  const burstName = `burst ${jobCount} × 3 devices at ${concurrency}, S1 ×10`;
  return [
    { name: `${burstName}: until all results complete`, value: seconds, unit: 's' },
    {
      name: `${burstName}: minimum the quotas allow (slot: ${jobCount} × ${minimum.singleJobMs.toFixed(0)} ms)`,
      value: minimum.seconds,
      unit: 's',
    },
    { name: 'burst: time ÷ minimum', value: seconds / minimum.seconds, unit: '×' },
    {
      name: 'burst: jobs operations per job',
      value: jobsOps.reduce((a, b) => a + b, 0) / jobCount,
      unit: 'ops',
    },
    {
      name: 'burst: device queries per job',
      value: count('devices.query') / jobCount,
      unit: 'queries',
    },
    {
      name: `burst: jobs operations in the busiest 60 s (hubjobs' budget ${budget})`,
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
    { name: 'burst: create latency p50', value: quantile(result.createMs, 0.5), unit: 'ms' },
    { name: 'burst: create latency p95', value: quantile(result.createMs, 0.95), unit: 'ms' },
  ];
}
