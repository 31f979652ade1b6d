import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRow } from './benchRow';
import { composeBenchServices, type BenchServices } from './support/benchServices';
import { countHubRequests, startBenchStack } from './support/benchStack';
import { resetQueryBucketToOneScaledMinute } from './support/queryQuota';
import { note, ratioRow } from './support/stats';
import type { RunningHubEmulator } from '../dev/hub-emulator/server';
import { createJob } from '../src/jobs/createJob';
import { importQueryBudget, pollActiveJobs } from '../src/jobs/pollActiveJobs';

const devices = 20_000;
const pageSize = 100;
/** S1 at 30 s ticks, with time running 30× faster: 20 → 600 queries a minute, 1 s ticks. */
const timeScale = 30;
const s1 = { queriesPerMinute: 20, jobsOperationsPerMinute: 100, pollIntervalSeconds: 30 };
const queriesPerMinute = s1.queriesPerMinute * timeScale;
const pollIntervalMs = (s1.pollIntervalSeconds * 1000) / timeScale;
const maxTicks = 600;

/**
 * Issue 3 benchmark: the hub queries the poller spends importing a 20,000-device job's results,
 * against the minimum (rows ÷ 100), while the emulator enforces the same query quota the poller
 * budgets for. S1's quota would take 10+ minutes, so time is scaled 30× on both sides.
 */
export default async function resultsImport(): Promise<BenchRow[]> {
  const stack = await startBenchStack({
    tier: 'S1',
    devices,
    seed: 3,
    permanentFailureShare: 0.02,
    offlineShare: 0.01,
    limits: {
      queriesPerMinute,
      jobsOperationsPerMinute: s1.jobsOperationsPerMinute * timeScale,
      deviceOperationsPerSecond: 0,
    },
  });
  try {
    const bench = composeBenchServices(
      stack.appEnv({
        HUB_QUERIES_PER_MINUTE: String(queriesPerMinute),
        POLL_INTERVAL_SECONDS: String(pollIntervalMs / 1000),
      }),
    );
    const jobId = await runJobAtHub(bench, stack.hub);
    const drained = await resetQueryBucketToOneScaledMinute(stack.hub, timeScale);
    note(
      `emptied the hub's query bucket (${drained} queries), then let one scaled minute refill it`,
    );
    await stack.admin.resetRequestCounts();
    const polled = await pollUntilImported(bench, jobId);
    const hubQueries = await countHubRequests(stack.admin, ['devices.query']);
    if (polled.imported !== devices) {
      throw new Error(`Imported ${polled.imported} device results, expected ${devices}`);
    }
    const minimum = Math.ceil(devices / pageSize);
    const scaled = `S1 quota ×${timeScale} time: ${queriesPerMinute}/min, 1 s ticks`;
    return [
      {
        name: `import queries, 20k-device job (${scaled}, budget ${importQueryBudget(bench.pollOptions)}/tick)`,
        value: hubQueries,
        unit: 'queries',
      },
      { name: 'import queries minimum (rows ÷ page size 100)', value: minimum, unit: 'queries' },
      ratioRow('import queries ÷ minimum', hubQueries, minimum, 1.05),
      {
        name: `429s during the import (${scaled})`,
        value: hubQueries - polled.queries,
        unit: '429s',
        target: '= 0',
        met: hubQueries === polled.queries,
      },
      { name: 'import ticks (1 s each, i.e. 30 s at S1)', value: polled.ticks, unit: 'ticks' },
    ];
  } finally {
    await stack.close();
  }
}

/** Creates the job through the real create path and waits (bounded) until the hub has run it. */
async function runJobAtHub(bench: BenchServices, hub: RunningHubEmulator): Promise<string> {
  const created = await createJob(
    {
      mode: 'post',
      spec: {
        type: 'scheduleDeviceMethod',
        queryCondition: '*',
        cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
        maxExecutionTimeInSeconds: 3600,
      },
    },
    bench.deps,
  );
  if (created.admission !== 'submitted') throw new Error(`Not submitted: ${created.admission}`);
  const jobId = created.job.jobId;
  const deadline = Date.now() + 120_000;
  while (['queued', 'scheduled', 'running'].includes(hub.model.jobs.get(jobId).status)) {
    if (Date.now() > deadline) throw new Error('The 20,000-device job did not finish in 2 min');
    await sleep(100);
  }
  note(
    `hub ran the ${devices}-device job: ${JSON.stringify(hub.model.jobs.get(jobId).deviceJobStatistics)}`,
  );
  return jobId;
}

/** Ticks the real poller every (scaled) poll interval until the job's results are all stored. */
async function pollUntilImported(bench: BenchServices, jobId: string) {
  const totals = { queries: 0, imported: 0, ticks: 0 };
  for (; totals.ticks < maxTicks; totals.ticks++) {
    const started = Date.now();
    const report = await pollActiveJobs(bench.deps, bench.pollOptions);
    totals.queries += report.importQueries;
    totals.imported += report.importedResults;
    const job = await bench.deps.jobStore.get(jobId);
    if (job?.resultsImport?.phase === 'done') return { ...totals, ticks: totals.ticks + 1 };
    await sleep(Math.max(0, pollIntervalMs - (Date.now() - started)));
  }
  throw new Error(`The import did not finish within ${maxTicks} ticks`);
}
