import { readFile } from 'node:fs/promises';
import type { BenchRow } from './benchRow';
import { startBenchStack } from './support/benchStack';
import { note } from './support/stats';
import { spawnLocalHost } from '../dev/host/spawnLocalHost';

const deviceCount = 1_000_000;

/**
 * A 1,000,000-id rollout accepted through `POST /rollouts`: how long the 202 takes (validation,
 * de-duplication, the ids' blob, the stored rollout) and the host process's peak memory.
 */
export default async function rolloutIntake(): Promise<BenchRow[]> {
  const stack = await startBenchStack({ tier: 'S1', devices: 0, seed: 10 });
  const env = stack.appEnv({ HOST_PORT: '0', POLL_SCHEDULE: '0 0 0 1 1 *' });
  const host = await spawnLocalHost({ env, readyTimeoutMs: 60_000 });
  try {
    // Ids of 40 characters: a realistic meter serial, ~43 MB of JSON in all.
    const ids = Array.from(
      { length: deviceCount },
      (_, i) => `meter-${String(i).padStart(34, '0')}`,
    );
    const body = JSON.stringify({
      operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
      targets: { deviceIds: ids },
      waves: { count: 100_000 },
    });
    const before = await peakRssMb(host.pid);
    const startedAt = performance.now();
    const response = await fetch(`${host.baseUrl}/rollouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const seconds = (performance.now() - startedAt) / 1000;
    if (response.status !== 202)
      throw new Error(`POST answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    const peak = await peakRssMb(host.pid);
    note(`body ${(body.length / 1e6).toFixed(1)} MB; host peak RSS ${before.toFixed(0)} MB before`);
    return [
      { name: 'rollout intake: 1,000,000 ids via POST /rollouts', value: seconds, unit: 's' },
      { name: 'rollout intake: host peak RSS', value: peak, unit: 'MB' },
    ];
  } catch (error) {
    note(`host output (tail):\n${host.output().slice(-4000)}`);
    throw error;
  } finally {
    await host.stop();
    await stack.close();
  }
}

/** The process's high-water resident set (VmHWM), in MB. */
async function peakRssMb(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
