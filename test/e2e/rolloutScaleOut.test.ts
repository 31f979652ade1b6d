import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnLocalHost, type SpawnedLocalHost } from '../../dev/host/spawnLocalHost';
import { api, eventually, startE2eStack, type E2eStack } from './support/e2eStack';
import { assertEachOperatedOnce, fleetIds, rolloutWhenEnded } from './support/rolloutProbes';

const scale = 50;
const s1Scaled = {
  jobsOperationsPerMinute: 100 * scale,
  queriesPerMinute: 20 * scale,
  deviceOperationsPerSecond: 10 * scale,
};
const settings = {
  HUB_JOBS_OPS_PER_MINUTE: String(s1Scaled.jobsOperationsPerMinute),
  HUB_QUERIES_PER_MINUTE: String(s1Scaled.queriesPerMinute),
  HUB_DEVICE_OPS_PER_SECOND: String(s1Scaled.deviceOperationsPerSecond),
  ROLLOUT_CHUNK_END_WAIT_MS: '5000',
  ROLLOUT_CHUNK_END_CHECK_MS: '100',
};
const reboot = {
  type: 'scheduleDeviceMethod',
  cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
};

async function spawnHost(stack: E2eStack, directory: string): Promise<SpawnedLocalHost> {
  const settingsFile = path.join(directory, 'local.settings.json');
  await writeFile(settingsFile, JSON.stringify({ IsEncrypted: false, Values: {} }));
  return spawnLocalHost({
    env: { ...stack.env, HOST_PORT: '0' },
    args: ['--settings', settingsFile],
    readyTimeoutMs: 60_000,
  });
}

/**
 * Every chunk reached the hub by exactly one successful create, and nothing else did. Two
 * instances may both submit a waiting chunk (one freeing its slot, the other's poll tick handing
 * it on): the hub refuses the second create of the same id (409 JobAlreadyExists), which hubjobs
 * counts as done, so the deterministic ids are what keeps a chunk from running twice.
 */
async function assertEachChunkCreatedOnce(stack: E2eStack, chunkJobIds: string[]): Promise<void> {
  const answers = (await stack.admin.answerCounts())['jobs.create'] ?? {};
  assert.equal(answers['200'] ?? 0, chunkJobIds.length, JSON.stringify(answers));
  const atHub = [...stack.hub.model.jobs.jobsInOrder()].map((job) => job.spec.jobId).sort();
  assert.deepEqual(atHub, [...chunkJobIds].sort());
}

describe('a rollout on two local hosts at once (one Azurite, one hub emulator)', () => {
  let stack: E2eStack;
  let second: SpawnedLocalHost;
  let directory: string;

  before(async () => {
    stack = await startE2eStack({ devices: 3000, tier: 'S1', limits: s1Scaled }, settings);
    directory = await mkdtemp(path.join(tmpdir(), 'hubjobs-e2e-scale-'));
    second = await spawnHost(stack, directory);
  });
  after(async () => {
    await second?.stop('SIGTERM');
    await stack?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('operates every device once and creates every chunk once', async () => {
    await stack.admin.resetRequestCounts();
    const ids = fleetIds(3000);
    const created = await api(stack, 'PUT', '/rollouts/both-hosts', {
      operation: reboot,
      targets: { deviceIds: ids },
      waves: { count: 600 },
    });
    assert.equal(created.status, 202, created.text);
    // The second host's timer and queue trigger step the same rollout.
    const rollout = await rolloutWhenEnded(stack, 'both-hosts');
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    assertEachOperatedOnce(await stack.admin.listOperations(), ids);
    await assertEachChunkCreatedOnce(
      stack,
      rollout.waves.flatMap((wave: { jobIds: string[] }) => wave.jobIds),
    );
  });
});

describe('a rollout whose host is killed mid fan-out', () => {
  let stack: E2eStack;
  let replacement: SpawnedLocalHost | undefined;
  let directory: string;

  before(async () => {
    stack = await startE2eStack(
      { devices: 2000, tier: 'S1', limits: { ...s1Scaled, deviceOperationsPerSecond: 200 } },
      { ...settings, HUB_DEVICE_OPS_PER_SECOND: '200' },
    );
    directory = await mkdtemp(path.join(tmpdir(), 'hubjobs-e2e-kill-'));
  });
  after(async () => {
    await replacement?.stop('SIGTERM');
    await stack?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('finishes after a restart, losing nothing and operating no device twice', async () => {
    await stack.admin.resetRequestCounts();
    const ids = fleetIds(2000);
    const created = await api(stack, 'PUT', '/rollouts/killed', {
      operation: reboot,
      targets: { deviceIds: ids },
      waves: { count: 400 },
    });
    assert.equal(created.status, 202, created.text);
    await eventually('wave 2 is under way', async () => {
      const rollout = (await api(stack, 'GET', '/rollouts/killed')).json;
      return rollout.waves?.[1]?.jobIds?.length > 0;
    });
    await stack.host.stop('SIGKILL');
    replacement = await spawnHost(stack, directory);
    const replaced = { ...stack, host: replacement };
    const rollout = await rolloutWhenEnded(replaced, 'killed');
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    assertEachOperatedOnce(await stack.admin.listOperations(), ids);
    await assertEachChunkCreatedOnce(
      stack,
      rollout.waves.flatMap((wave: { jobIds: string[] }) => wave.jobIds),
    );
  });
});
