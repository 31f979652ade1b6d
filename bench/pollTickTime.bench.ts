import type { BenchRow } from './benchRow';
import type { BenchServices } from './support/benchServices';
import { startHistoryStack } from './support/historyStack';
import { finishedJob } from './support/seedJobs';
import { median, note, quantile, ratioRow, timeSideBySide } from './support/stats';
import { pollActiveJobs } from '../src/jobs/pollActiveJobs';

const activeJobs = 10;
const finishedJobs = 100_000;
const rounds = 41;
const pointReads = 20;

/**
 * Issue 3 benchmark: poll tick time with 100,000 finished jobs stored vs none. Two job tables in
 * one Azurite hold the same 10 hub-active jobs; one also holds the history. Ticks alternate
 * between them, so both see the same machine.
 */
export default async function pollTickTime(): Promise<BenchRow[]> {
  const now = new Date();
  const history = await startHistoryStack({
    hub: { tier: 'S3', devices: 100, seed: 2 },
    activeJobs,
    history: () => Array.from({ length: finishedJobs }, (_, i) => finishedJob('done', i, now)),
  });
  try {
    const { empty, full } = history;
    const tick = (bench: BenchServices) => () => checkedTick(bench);
    note(`timing ${rounds} poll ticks on each table, alternating`);
    const times = await timeSideBySide(tick(empty), tick(full), rounds, 3);
    const emptyRequests = await tableRequestsPerTick(empty);
    const fullRequests = await tableRequestsPerTick(full);
    const [emptyMs, fullMs] = [median(times.a), median(times.b)];
    const spread = (values: number[]) =>
      [0.25, 0.75].map((q) => quantile(values, q).toFixed(1)).join(' / ');
    note(`tick p25/p75: none stored ${spread(times.a)} ms; 100k stored ${spread(times.b)} ms`);
    const reads = await pointReadTimes(empty, full);
    return [
      {
        name: `poll tick time, 10 active, none stored (median of ${rounds})`,
        value: emptyMs,
        unit: 'ms',
      },
      { name: 'poll tick time, 10 active, 100k finished stored', value: fullMs, unit: 'ms' },
      ratioRow('poll tick time 100k stored ÷ none', fullMs, emptyMs, 1.5),
      {
        name: 'table requests per tick, none stored',
        value: emptyRequests.jobs,
        unit: 'requests',
      },
      {
        name: 'table requests per tick, 100k finished stored',
        value: fullRequests.jobs,
        unit: 'requests',
        target: '= none stored',
        met: fullRequests.jobs === emptyRequests.jobs,
      },
      {
        name: 'hub budget table requests per tick (none / 100k stored: second)',
        value: fullRequests.budget,
        unit: 'requests',
        target: `first: ${emptyRequests.budget}`,
      },
      ratioRow(
        `Azurite point read: 100k-row partition ÷ small one (median of ${pointReads})`,
        median(reads.b),
        median(reads.a),
      ),
    ];
  } finally {
    await history.close();
  }
}

async function checkedTick(bench: BenchServices): Promise<void> {
  const report = await pollActiveJobs(bench.deps, bench.pollOptions);
  if (report.activeJobs !== activeJobs || report.failures > 0 || report.ended > 0) {
    throw new Error(`Unexpected poll tick: ${JSON.stringify(report)}`);
  }
}

/** The job tables' requests of one tick; the hub budget's claims follow hub calls, not history. */
async function tableRequestsPerTick(
  bench: BenchServices,
): Promise<{ jobs: number; budget: number }> {
  const [before, budgetBefore] = [bench.tableRequests(), bench.budgetRequests()];
  await checkedTick(bench);
  const budget = bench.budgetRequests() - budgetBefore;
  return { jobs: bench.tableRequests() - before - budget, budget };
}

/**
 * Why the tick slows down in Azurite: it finds a row by scanning its whole partition (LokiJS keeps
 * separate PartitionKey and RowKey indices), so each read of a job among 100,000 costs far more.
 */
async function pointReadTimes(empty: BenchServices, full: BenchServices) {
  const activeId = (await empty.deps.jobStore.listActive())[0]?.jobId ?? '';
  const seededId = finishedJob('done', finishedJobs / 2, new Date()).jobId;
  return timeSideBySide(
    () => empty.deps.jobStore.get(activeId),
    () => full.deps.jobStore.get(seededId),
    pointReads,
    1,
  );
}
