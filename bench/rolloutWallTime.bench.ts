import type { BenchRow } from './benchRow';
import { startBenchStack } from './support/benchStack';
import { note } from './support/stats';
import { spawnLocalHost } from '../dev/host/spawnLocalHost';

const devices = 5000;
/** Every hub rate and hubjobs' budget ×10 from S1's real ones, the poll period ÷10 (30 s → 3 s). */
const scale = 10;
const s1Scaled = {
  maxActiveJobs: 1,
  jobsOperationsPerMinute: 100 * scale,
  queriesPerMinute: 20 * scale,
  deviceOperationsPerSecond: 10 * scale,
};
const timeoutMs = 300_000;

/**
 * A rollout of 5,000 devices on S1 against the hub's own limit: the hub runs a job's device
 * operations at its rate, one job at a time, so devices ÷ rate is the least any orchestrator could
 * take. What hubjobs adds is the gap between a chunk's end and the next chunk's start: the target
 * is on the last chunk's end. The rollout completes once the last results are imported too, which
 * the import's share of the query quota paces (IMPORT_QUERY_SHARE): reported beside it.
 */
export default async function rolloutWallTime(): Promise<BenchRow[]> {
  const stack = await startBenchStack({ tier: 'S1', devices, seed: 9, limits: s1Scaled });
  const env = stack.appEnv({
    HUB_TIER: 'S1',
    HUB_JOBS_OPS_PER_MINUTE: String(s1Scaled.jobsOperationsPerMinute),
    HUB_QUERIES_PER_MINUTE: String(s1Scaled.queriesPerMinute),
    HUB_DEVICE_OPS_PER_SECOND: String(s1Scaled.deviceOperationsPerSecond),
    POLL_SCHEDULE: '*/3 * * * * *',
    POLL_INTERVAL_SECONDS: '3',
    ROLLOUT_CHUNK_END_CHECK_MS: '100',
    HOST_PORT: '0',
  });
  const host = await spawnLocalHost({ env, readyTimeoutMs: 60_000 });
  try {
    const ids = Array.from(
      { length: devices },
      (_, i) => `device-${String(i + 1).padStart(5, '0')}`,
    );
    const startedAt = performance.now();
    const startedAtMs = Date.now();
    const response = await fetch(`${host.baseUrl}/rollouts/bench-wall`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
        targets: { deviceIds: ids },
      }),
    });
    if (response.status !== 202)
      throw new Error(`PUT answered ${response.status}: ${await response.text()}`);
    const rollout = await waitForEnd(host.baseUrl, 'bench-wall');
    const seconds = (performance.now() - startedAt) / 1000;
    const minimum = devices / s1Scaled.deviceOperationsPerSecond;
    const chunks = rollout.waves.reduce((sum, wave) => sum + wave.jobIds.length, 0);
    note(
      `rollout ${rollout.status}: ${chunks} chunks, ${rollout.statistics.succeededCount} succeeded`,
    );
    note(`gaps between chunks at the hub (end → next create → next start): ${chunkGaps(stack)}`);
    const answers = await stack.admin.answerCounts();
    const throttled = Object.values(answers)
      .flatMap((byAnswer) => Object.entries(byAnswer ?? {}))
      .filter(([answer]) => answer.startsWith('429'))
      .reduce((sum, [, count]) => sum + (count ?? 0), 0);
    const ratio = seconds / minimum;
    const lastEndMs = Math.max(
      ...[...stack.hub.model.jobs.jobsInOrder()].map((job) => job.endAt ?? 0),
    );
    const lastChunkEnd = (lastEndMs - startedAtMs) / 1000;
    return [
      {
        name: `rollout ${devices} devices, S1 ×10: wall time until completed, every result imported`,
        value: seconds,
        unit: 's',
      },
      {
        name: `rollout: devices ÷ the hub's rate (${s1Scaled.deviceOperationsPerSecond}/s)`,
        value: minimum,
        unit: 's',
      },
      {
        name: "rollout: its last chunk's end at the hub ÷ the hub's limit",
        value: lastChunkEnd / minimum,
        unit: '×',
        target: '≤ 1.15×',
        met: lastChunkEnd / minimum <= 1.15,
      },
      {
        name: "rollout: completed (every result imported) ÷ the hub's limit",
        value: ratio,
        unit: '×',
      },
      {
        name: 'rollout: 429s from the hub',
        value: throttled,
        unit: '',
        target: '0',
        met: throttled === 0,
      },
    ];
  } catch (error) {
    note(`host output (tail):\n${host.output().slice(-4000)}`);
    throw error;
  } finally {
    await host.stop();
    await stack.close();
  }
}

/** Per chunk after the first: ms from the previous chunk's end to this one's create and start. */
function chunkGaps(stack: Awaited<ReturnType<typeof startBenchStack>>): string {
  const jobs = [...stack.hub.model.jobs.jobsInOrder()];
  return jobs
    .slice(1)
    .map((job, i) => {
      const previousEnd = jobs[i]?.endAt ?? Number.NaN;
      return `${(job.createdAt - previousEnd).toFixed(0)}→${((job.startedAt ?? Number.NaN) - previousEnd).toFixed(0)}`;
    })
    .join(' ');
}

interface RolloutView {
  status: string;
  statistics: { succeededCount: number };
  waves: { jobIds: string[] }[];
}

async function waitForEnd(baseUrl: string, rolloutId: string): Promise<RolloutView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rollout = (await (await fetch(`${baseUrl}/rollouts/${rolloutId}`)).json()) as RolloutView;
    if (['completed', 'failed', 'cancelled'].includes(rollout.status)) return rollout;
    if (Date.now() > deadline) throw new Error(`rollout ${rolloutId} did not end in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
