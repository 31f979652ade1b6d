import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubAdminClient } from '../../dev/hub-emulator/adminClient';
import { mapWithConcurrency } from '../../src/storage/mapWithConcurrency';

/** Routes that spend the hub's jobs-operations quota. */
export const jobsOperationRoutes = [
  'jobs.create',
  'jobs.get',
  'jobs.cancel',
  'jobs.query',
] as const;

export interface BurstOptions {
  baseUrl: string;
  admin: HubAdminClient;
  jobCount: number;
  concurrency: number;
  body: unknown;
  /** Pause between two looks at the jobs (and at the hub's request counts). */
  probeEveryMs: number;
  /** The run fails when some job has not completed with all its results by then. */
  timeoutMs: number;
}

export interface BurstResult {
  /** Wall time of each POST /api/jobs, in milliseconds. */
  createMs: number[];
  /** How the creates were answered: 201 (sent to the hub) or 202 (accepted, waiting). */
  statuses: number[];
  jobIds: string[];
  /** From the first POST until the last job showed `completed` with complete device results. */
  totalMs: number;
  /** The hub's jobs operations so far, sampled about every `probeEveryMs`. */
  samples: { atMs: number; jobsOperations: number }[];
}

/** POSTs the burst, then watches GET /api/jobs/{id} until every job's results are complete. */
export async function runBurst(options: BurstOptions): Promise<BurstResult> {
  const started = performance.now();
  const burst = Array.from({ length: options.jobCount }, (_, index) => index);
  const created = await mapWithConcurrency(burst, options.concurrency, () =>
    createJob(options.baseUrl, options.body),
  );
  const pending = new Set(created.map((job) => job.jobId));
  const samples: BurstResult['samples'] = [];
  for (;;) {
    samples.push({
      atMs: performance.now() - started,
      jobsOperations: await jobsOperations(options.admin),
    });
    const done = await Promise.all([...pending].map((jobId) => isDone(options.baseUrl, jobId)));
    [...pending].forEach((jobId, index) => done[index] && pending.delete(jobId));
    if (pending.size === 0) break;
    if (performance.now() - started > options.timeoutMs) {
      throw new Error(`${pending.size} jobs still lacked complete results after the timeout`);
    }
    await sleep(options.probeEveryMs);
  }
  return {
    createMs: created.map((job) => job.ms),
    statuses: created.map((job) => job.status),
    jobIds: created.map((job) => job.jobId),
    totalMs: performance.now() - started,
    samples,
  };
}

/** The hub's jobs operations counted since the last reset. */
export async function jobsOperations(admin: HubAdminClient): Promise<number> {
  const counts = await admin.requestCounts();
  return jobsOperationRoutes.reduce((sum, route) => sum + (counts[route] ?? 0), 0);
}

/**
 * The most jobs operations any 60 s of the run held, bounded from the samples: a 60 s span lies
 * between two samples at most `60 s + 2 × the widest gap` apart, so the figure may only overstate.
 */
export function busiestMinute(samples: BurstResult['samples']): number {
  // The counts were reset just before the first POST.
  const all = [{ atMs: 0, jobsOperations: 0 }, ...samples];
  const widestGap = Math.max(0, ...all.slice(1).map((s, i) => s.atMs - (all[i]?.atMs ?? 0)));
  let most = 0;
  for (const [i, from] of all.entries()) {
    for (const to of all.slice(i + 1)) {
      if (to.atMs - from.atMs > 60_000 + 2 * widestGap) break;
      most = Math.max(most, to.jobsOperations - from.jobsOperations);
    }
  }
  return most;
}

async function createJob(baseUrl: string, body: unknown) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 201 && response.status !== 202) {
    throw new Error(`POST /jobs answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return { jobId: (JSON.parse(text) as { jobId: string }).jobId, status: response.status, ms };
}

interface JobAnswer {
  status: string;
  statusMessage?: string;
  deviceResults?: { complete: boolean };
}

async function isDone(baseUrl: string, jobId: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/jobs/${encodeURIComponent(jobId)}`);
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`GET /jobs/${jobId} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  const job = JSON.parse(text) as JobAnswer;
  if (['failed', 'cancelled'].includes(job.status)) {
    throw new Error(`Job ${jobId} ended ${job.status}: ${job.statusMessage ?? ''}`);
  }
  return job.status === 'completed' && job.deviceResults?.complete === true;
}
