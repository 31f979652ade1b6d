import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { RunningHubEmulator } from '../../dev/hub-emulator/server';
import { createHubClients } from '../../src/hub/createHubClients';

export interface HubMethodJob {
  queryCondition: string;
  method: { methodName: string; payload?: unknown; responseTimeoutInSeconds: number };
}

/**
 * The fastest any client can run one job through the hub's only slot: the SDK's create, then
 * `getJob` back to back until the hub reports the job completed. Wall time in milliseconds, so
 * it holds the hub's answer latency, its device pacing and its own scheduling.
 */
export async function timeOneHubJob(
  hub: RunningHubEmulator,
  job: HubMethodJob,
  timeoutMs = 30_000,
): Promise<number> {
  const { jobClient } = createHubClients({
    connectionString: hub.connectionString,
    endpoint: hub.endpoint,
    ca: readFileSync(hub.caFile),
  });
  const jobId = randomUUID();
  const started = performance.now();
  await jobClient.scheduleDeviceMethod(jobId, job.queryCondition, job.method, new Date(), 3600);
  for (;;) {
    const { jobStatus } = (await jobClient.getJob(jobId)) as { jobStatus: { status?: string } };
    if (jobStatus.status === 'completed') return performance.now() - started;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`Hub job ${jobId} was still ${jobStatus.status} after ${timeoutMs} ms`);
    }
  }
}
