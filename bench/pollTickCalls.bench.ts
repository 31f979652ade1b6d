import { readFileSync } from 'node:fs';
import type { BenchRow } from './benchRow';
import type { BenchServices } from './support/benchServices';
import { countHubRequests, type BenchStack } from './support/benchStack';
import { startHistoryStack } from './support/historyStack';
import { finishedJob, waitingJob } from './support/seedJobs';
import { ratioRow } from './support/stats';
import { HubCallError } from '../src/core/hubCallError';
import { AzureHubJobGateway } from '../src/hub/AzureHubJobGateway';
import { createHubClients } from '../src/hub/createHubClients';
import { isTerminal } from '../src/jobs/jobLifecycle';
import { pollActiveJobs } from '../src/jobs/pollActiveJobs';
import { mapWithConcurrency } from '../src/storage/mapWithConcurrency';

const activeJobs = 10;
const finishedJobs = 5_000;
const waitingJobs = 5_000;
/** One jobs query per hub-active status (queued, scheduled, running) covers up to 100 jobs. */
const maxTickCalls = 3;

/**
 * Issue 3 benchmark: hub calls one poll tick spends with 10 jobs active at the hub (created through
 * the real create path at S3), with nothing else stored and with 10,000 finished or waiting jobs
 * stored, against the naive loop of one `getJob` per stored non-terminal job. Counted at the
 * emulator's request counter.
 */
export default async function pollTickCalls(): Promise<BenchRow[]> {
  const now = new Date();
  const history = await startHistoryStack({
    hub: { tier: 'S3', devices: 100, seed: 1 },
    activeJobs,
    history: () => [
      ...Array.from({ length: finishedJobs }, (_, i) => finishedJob('done', i, now)),
      ...Array.from({ length: waitingJobs }, (_, i) => waitingJob('later', i, now)),
    ],
  });
  try {
    const { stack, empty, full } = history;
    const noHistoryCalls = await tickHubCalls(stack, empty, activeJobs);
    const tickCalls = await tickHubCalls(stack, full, activeJobs + waitingJobs);
    const naiveCalls = await naiveLoopCalls(stack, full);
    return [
      {
        name: 'poll tick hub calls (10 active, none stored)',
        value: noHistoryCalls,
        unit: 'calls',
      },
      {
        name: 'poll tick hub calls (10 active, 10k stored: 5k finished, 5k waiting)',
        value: tickCalls,
        unit: 'calls',
        target: `≤ ${maxTickCalls}, same as none stored`,
        met: tickCalls <= maxTickCalls && tickCalls === noHistoryCalls,
      },
      {
        name: 'naive getJob loop calls (one per stored non-terminal job)',
        value: naiveCalls,
        unit: 'calls',
      },
      ratioRow('naive loop ÷ poll tick hub calls', naiveCalls, tickCalls),
    ];
  } finally {
    await history.close();
  }
}

/** One tick of the real poller; answers the hub requests it made, as the emulator counted them. */
async function tickHubCalls(
  stack: BenchStack,
  bench: BenchServices,
  expectedWorkingSet: number,
): Promise<number> {
  await stack.admin.resetRequestCounts();
  const report = await pollActiveJobs(bench.deps, bench.pollOptions);
  if (report.activeJobs !== expectedWorkingSet || report.failures > 0 || report.ended > 0) {
    throw new Error(`Unexpected poll tick: ${JSON.stringify(report)}`);
  }
  return countHubRequests(stack.admin);
}

/** What a poller without the jobs query would do: `getJob` for every stored job not yet terminal. */
async function naiveLoopCalls(stack: BenchStack, bench: BenchServices): Promise<number> {
  const jobs = (await bench.deps.jobStore.listActive()).filter((job) => !isTerminal(job.status));
  if (jobs.length !== activeJobs + waitingJobs) {
    throw new Error(`Expected ${activeJobs + waitingJobs} non-terminal jobs, found ${jobs.length}`);
  }
  // The baseline hubjobs never runs: its own gateway, outside the hub budget it would overspend.
  const hub = new AzureHubJobGateway(
    createHubClients({
      connectionString: stack.hub.connectionString,
      endpoint: stack.hub.endpoint,
      ca: readFileSync(stack.hub.caFile),
    }),
  );
  await stack.admin.resetRequestCounts();
  await mapWithConcurrency(jobs, 8, async (job) => {
    try {
      await hub.getJob(job.jobId);
    } catch (error) {
      // Waiting jobs were never submitted: the hub answers 404, which still costs a call.
      if (!(error instanceof HubCallError && error.kind === 'notFound')) throw error;
    }
  });
  return countHubRequests(stack.admin);
}
