import type { BenchStack } from './benchStack';
import { timeOneHubJob, type HubMethodJob } from './oneHubJob';
import { median, note } from './stats';
import type { HubBudgetLimits } from '../../src/core/hubBudgetLimits';

export interface BurstMinimum {
  seconds: number;
  /** The fastest one job ran alone through the hub's slot (median), in milliseconds. */
  singleJobMs: number;
}

/**
 * The least time S1's quotas (×10 in the burst) allow for `jobCount` jobs of 3 devices each, the
 * largest of three bounds:
 * - slot: one active job at a time, so the jobs run one after another, each at least as long as
 *   the fastest client needs for one job alone on this hub (create, the hub runs its devices at
 *   the device-operation rate, a getJob sees it completed), measured here;
 * - jobs operations: each job needs at least a create and one getJob that sees it ended;
 * - queries: each job's 3 device results fit one page, so at least one query.
 * For the two rates hubjobs may spend its budget (the hub's quota × HUB_QUOTA_SHARE), and both
 * the budget and the hub let a minute's worth through at once, so `n` calls on a limit of `L`
 * a minute need max(0, n − L) / L minutes.
 */
export async function burstMinimum(
  stack: BenchStack,
  job: HubMethodJob,
  jobCount: number,
  limits: HubBudgetLimits,
): Promise<BurstMinimum> {
  const singleJobMs = await medianOneHubJobMs(stack, job, 5);
  const rateBound = (calls: number, perMinute: number) =>
    (Math.max(0, calls - perMinute) / perMinute) * 60;
  const { jobsOperations, queries } = limits.perMinute;
  const bounds = {
    slot: (jobCount * singleJobMs) / 1000,
    jobsOperations: rateBound(jobCount * 2, jobsOperations),
    queries: rateBound(jobCount, queries),
  };
  note(
    `minimum = max(slot ${jobCount} × ${singleJobMs.toFixed(0)} ms = ${bounds.slot.toFixed(2)} s, ` +
      `jobs ops max(0, ${jobCount * 2} − ${jobsOperations}) / ${jobsOperations} min = ` +
      `${bounds.jobsOperations.toFixed(2)} s, queries max(0, ${jobCount} − ${queries}) / ` +
      `${queries} min = ${bounds.queries.toFixed(2)} s)`,
  );
  return { seconds: Math.max(...Object.values(bounds)), singleJobMs };
}

async function medianOneHubJobMs(
  stack: BenchStack,
  job: HubMethodJob,
  rounds: number,
): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) times.push(await timeOneHubJob(stack.hub, job));
  note(`one job alone on the hub: ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  return median(times);
}

/** How long the hub held these jobs in its slot, from each create to that job's end. */
export function hubSlotBusyMs(stack: BenchStack, jobIds: readonly string[]): number {
  let busy = 0;
  for (const jobId of jobIds) {
    const job = stack.hub.model.jobs.find(jobId);
    if (job?.endAt === undefined) throw new Error(`The hub has no ended job ${jobId}`);
    busy += job.endAt - job.createdAt;
  }
  return busy;
}
