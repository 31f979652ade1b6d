import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BenchRow } from './benchRow';
import { composeBenchServices } from './support/benchServices';
import { startBenchStack, type BenchStack } from './support/benchStack';
import { median, note, quantile, ratioRow, timeSideBySide } from './support/stats';
import { spawnLocalHost } from '../dev/host/spawnLocalHost';
import { createHubClients } from '../src/hub/createHubClients';
import { createJob } from '../src/jobs/createJob';
import { parseJobCreateRequest } from '../src/jobs/schemas';

const hubLatencyMs = 50;
const rounds = 100;
/** Creates whose Table requests are averaged, after one that warms the clients up. */
const countedCreates = 20;
const deviceIds = ['device-00001', 'device-00002', 'device-00003'];
const method = { methodName: 'reboot', payload: { reason: 'bench' }, responseTimeoutInSeconds: 30 };
/**
 * A slow timer: its ticks free the hub slots of jobs the emulator finished, so every create finds
 * one (up to 100 at once), while costing the creates next to nothing.
 */
const slowPollSchedule = '*/5 * * * * *';

/**
 * Issue 3 benchmark: POST /api/jobs through the local Functions host (validation, Table Storage,
 * admission, the hub) vs the bare SDK call it wraps, with the emulator answering after 50 ms like a
 * real hub. Calls alternate, so both sides share the machine's conditions.
 */
export default async function httpCreate(): Promise<BenchRow[]> {
  // Jobs finish at their own pace; no slot limit, so every create reaches the hub.
  const stack = await startBenchStack({
    tier: 'S3',
    devices: 10,
    seed: 4,
    responseLatencyMs: hubLatencyMs,
    limits: { maxActiveJobs: 0 },
  });
  try {
    return await measure(stack);
  } finally {
    await stack.close();
  }
}

async function measure(stack: BenchStack): Promise<BenchRow[]> {
  const host = await spawnLocalHost({
    env: {
      ...stack.appEnv({ HUB_TIER: 'S3', HUB_MAX_ACTIVE_JOBS: '100', POLL_INTERVAL_SECONDS: '5' }),
      HOST_PORT: '0',
      POLL_SCHEDULE: slowPollSchedule,
    },
    readyTimeoutMs: 60_000,
  });
  let times: { a: number[]; b: number[] };
  try {
    times = await timeHttpVersusSdk(stack, host.baseUrl);
  } finally {
    await host.stop();
  }
  const [httpMs, sdkMs] = [median(times.a), median(times.b)];
  const spread = (values: number[]) =>
    [0.1, 0.25, 0.75, 0.9].map((q) => quantile(values, q).toFixed(1)).join(' / ');
  note(`HTTP p10/p25/p75/p90 ${spread(times.a)} ms; SDK ${spread(times.b)} ms`);
  const tableRequests = await tableRequestsPerCreate(stack);
  return [
    {
      name: `HTTP create via local host, hub at ${hubLatencyMs} ms (median of ${rounds})`,
      value: httpMs,
      unit: 'ms',
    },
    { name: `direct SDK scheduleDeviceMethod (median of ${rounds})`, value: sdkMs, unit: 'ms' },
    ratioRow('HTTP create ÷ direct SDK call', httpMs, sdkMs, 1.3),
    {
      name: `Table Storage requests per create (the use case, in process, mean of ${countedCreates})`,
      value: tableRequests,
      unit: 'requests',
    },
  ];
}

/** `a`: POST /api/jobs through the host; `b`: the SDK call alone, over the same kind of client. */
function timeHttpVersusSdk(stack: BenchStack, baseUrl: string) {
  const { jobClient } = createHubClients({
    connectionString: stack.hub.connectionString,
    endpoint: stack.hub.endpoint,
    ca: readFileSync(stack.hub.caFile),
  });
  const viaHttp = () => createThroughHost(baseUrl);
  const direct = () =>
    jobClient.scheduleDeviceMethod(randomUUID(), condition(), method, new Date(), 3600);
  note(`${rounds} creates each, alternating, hub latency ${hubLatencyMs} ms`);
  return timeSideBySide(viaHttp, direct, rounds, 5);
}

/**
 * Where the create's time goes besides the hub: its Table Storage requests, averaged over a run of
 * creates, since the hub budget's claims come one per batch of calls, not one per create.
 */
async function tableRequestsPerCreate(stack: BenchStack): Promise<number> {
  // Tables of its own, with a slot for every create: no poll tick frees them here.
  const bench = composeBenchServices(stack.appEnv({ HUB_TIER: 'S3', HUB_MAX_ACTIVE_JOBS: '100' }));
  const spec = parseJobCreateRequest({
    type: 'scheduleDeviceMethod',
    deviceIds,
    cloudToDeviceMethod: method,
  });
  await createJob({ spec, mode: 'post' }, bench.deps);
  const [tablesBefore, budgetBefore] = [bench.tableRequests(), bench.budgetRequests()];
  for (let create = 0; create < countedCreates; create++) {
    const result = await createJob({ spec, mode: 'post' }, bench.deps);
    if (result.admission !== 'submitted') {
      throw new Error(`Not submitted: ${result.admission} (${result.job.statusMessage ?? ''})`);
    }
  }
  const perCreate = (requests: number) => requests / countedCreates;
  const budget = perCreate(bench.budgetRequests() - budgetBefore);
  note(`Table requests per create over ${countedCreates} creates: hub budget ${budget.toFixed(2)}`);
  return perCreate(bench.tableRequests() - tablesBefore);
}

function condition(): string {
  return `deviceId IN [${deviceIds.map((id) => `'${id}'`).join(', ')}]`;
}

async function createThroughHost(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'scheduleDeviceMethod', deviceIds, cloudToDeviceMethod: method }),
  });
  const body = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST /jobs answered ${response.status}: ${body.slice(0, 500)}`);
  }
}
