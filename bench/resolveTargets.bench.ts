import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './benchRow';
import { resetQueryBucketToOneScaledMinute } from './support/queryQuota';
import { scaledTime } from './support/scaledTime';
import { note, ratioRow } from './support/stats';
import { HubAdminClient } from '../dev/hub-emulator/adminClient';
import { startHubEmulator, type RunningHubEmulator } from '../dev/hub-emulator/server';
import { allPages } from '../src/core/page';
import { WindowBudget } from '../src/core/windowBudget';
import { AzureHubDeviceQuery } from '../src/hub/AzureHubDeviceQuery';
import { createHubClients } from '../src/hub/createHubClients';
import { hubBudgetGate, type HubRequestGate } from '../src/hub/hubRequestGate';

const devices = 3_000;
/** About two thirds of the seeded fleet: three buildings of four, floors 2 to 8 of 8. */
const condition = "tags.building IN ['43', '44', '45'] AND NOT (tags.floor = 1)";
const pageSize = 100;
/** S1's quotas with time running 60× faster: a minute of S1 lasts a second. */
const timeScale = 60;
const s1 = { queriesPerMinute: 20, jobsOperationsPerMinute: 100 };
const certDir = path.join(tmpdir(), 'hubjobs-bench-cert');
/**
 * Two scaled minutes: a resolve page waits that long for budget at most. The budget is spent when
 * the count starts and frees a minute after its first use; one minute left no room for a slow run.
 */
const budgetWaits = { countDevices: 120_000, queryDeviceIds: 120_000 };

interface ResolveRun {
  counted: number;
  /** Queries the hub saw for the count and for the pages, 429 answers and retries included. */
  countQueries: number;
  resolveQueries: number;
  throttled: number;
  wallMs: number;
}

/**
 * Issue 9 benchmark: the hub queries that resolving a condition target to device ids costs,
 * against the minimum of one query per 100 ids, with the emulator enforcing S1's query quota and
 * hubjobs' budget sized to the same quota on a clock scaled as the hub's rates are. The hub's
 * quota is in full use when the resolve starts (a busy minute of hubjobs' own queries), so the
 * count and the 20 pages take more than a minute of S1: the budget, not the hub's 429, paces them.
 * The same run without the budget shows what it saves.
 */
export default async function resolveTargets(): Promise<BenchRow[]> {
  const hub = await startHubEmulator({
    certDir,
    devices,
    tier: 'S1',
    seed: 9,
    log: () => undefined,
    limits: {
      queriesPerMinute: s1.queriesPerMinute * timeScale,
      jobsOperationsPerMinute: s1.jobsOperationsPerMinute * timeScale,
      deviceOperationsPerSecond: 0,
    },
  });
  try {
    const budgeted = await resolveAfterBusyMinute(hub, true);
    const unbudgeted = await resolveAfterBusyMinute(hub, false);
    return rows(budgeted, unbudgeted);
  } finally {
    await hub.close();
  }
}

function rows(budgeted: ResolveRun, unbudgeted: ResolveRun): BenchRow[] {
  const minimum = Math.ceil(budgeted.counted / pageSize);
  const scaled = `S1 ${s1.queriesPerMinute}/min ×${timeScale} time, budget ${s1.queriesPerMinute}/min`;
  return [
    {
      name: `resolve queries, ${budgeted.counted} of ${devices} devices (${scaled})`,
      value: budgeted.resolveQueries,
      unit: 'queries',
    },
    { name: 'resolve queries minimum (ceil(devices ÷ 100))', value: minimum, unit: 'queries' },
    ratioRow('resolve queries ÷ ceil(devices ÷ 100)', budgeted.resolveQueries, minimum, 1.01),
    {
      name: `429s while counting and resolving (${scaled})`,
      value: budgeted.throttled,
      unit: '429s',
      target: '= 0',
      met: budgeted.throttled === 0,
    },
    {
      name: `count + resolve time at S1 speed (wall time × ${timeScale})`,
      value: (budgeted.wallMs * timeScale) / 1000,
      unit: 's',
    },
    {
      name: 'for comparison, without the budget: 429s while counting and resolving',
      value: unbudgeted.throttled,
      unit: '429s',
    },
  ];
}

/**
 * Leaves the hub as after a minute in which hubjobs spent its whole query budget, then counts
 * and resolves the target, through the budget or (for comparison) straight to the hub.
 */
async function resolveAfterBusyMinute(
  hub: RunningHubEmulator,
  withBudget: boolean,
): Promise<ResolveRun> {
  const connection = {
    connectionString: hub.connectionString,
    endpoint: hub.endpoint,
    ca: await readFile(hub.caFile),
  };
  const admin = new HubAdminClient(connection);
  const gate = withBudget ? scaledBudgetGate() : undefined;
  const query = new AzureHubDeviceQuery(createHubClients(connection), {}, gate);
  const drained = await resetQueryBucketToOneScaledMinute(hub, timeScale);
  note(`emptied the hub's query bucket (${drained} queries), then let one scaled minute refill it`);
  for (let busy = 0; busy < s1.queriesPerMinute; busy++) await query.countDevices('*');
  await admin.resetRequestCounts();
  const started = performance.now();
  const counted = await query.countDevices(condition);
  const countQueries = queriesOf(await admin.answerCounts());
  const ids = await resolve(query);
  const wallMs = performance.now() - started;
  if (ids.length !== counted || new Set(ids).size !== counted) {
    throw new Error(
      `Resolved ${ids.length} ids (${new Set(ids).size} distinct), counted ${counted}`,
    );
  }
  const answers = await admin.answerCounts();
  const throttled = answers['devices.query']?.['429001'] ?? 0;
  return {
    counted,
    countQueries,
    resolveQueries: queriesOf(answers) - countQueries,
    throttled,
    wallMs,
  };
}

/** hubjobs' budget sized to S1's query quota, on a clock running as fast as the hub's rates. */
function scaledBudgetGate(): HubRequestGate {
  const { clock, sleep } = scaledTime(timeScale);
  const budget = new WindowBudget({
    limits: { queries: s1.queriesPerMinute, jobsOperations: s1.jobsOperationsPerMinute },
    windowMs: 5_000,
    clock,
    sleep,
  });
  return hubBudgetGate(budget, budgetWaits);
}

/** Every id of the condition, page by page, as planning resolves a target. */
async function resolve(query: AzureHubDeviceQuery): Promise<string[]> {
  const ids: string[] = [];
  const pages = allPages((continuationToken) =>
    query.queryDeviceIds(condition, {
      pageSize,
      ...(continuationToken ? { continuationToken } : {}),
    }),
  );
  for await (const page of pages) ids.push(...page.items);
  return ids;
}

function queriesOf(answers: Awaited<ReturnType<HubAdminClient['answerCounts']>>): number {
  const counts = Object.values(answers['devices.query'] ?? {});
  return counts.reduce<number>((total, count) => total + (count ?? 0), 0);
}
