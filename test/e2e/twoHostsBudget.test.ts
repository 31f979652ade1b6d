import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { spawnLocalHost, type SpawnedLocalHost } from '../../dev/host/spawnLocalHost';
import { api, startE2eStack, type E2eStack } from './support/e2eStack';

/** hubjobs' jobs-operations budget here: 50 a minute at the hub × a share of 0.4. */
const budgetPerMinute = 20;
const createsPerHost = 15;
const jobsOperationRoutes = ['jobs.create', 'jobs.get', 'jobs.cancel', 'jobs.query'] as const;

function methodJob() {
  return {
    type: 'scheduleDeviceMethod',
    deviceIds: ['device-00001', 'device-00002'],
    cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
  };
}

/**
 * Two local hosts on one Azurite and one hub emulator, as when the functions scale out: the hub
 * itself would allow every call (no rate limits, no job cap), so only hubjobs' shared budget can
 * keep the two hosts' calls together within the share.
 */
describe('two local hosts sharing one hub budget', () => {
  let stack: E2eStack;
  let second: SpawnedLocalHost;
  let directory: string;

  before(async () => {
    stack = await startE2eStack(
      {
        devices: 10,
        tier: 'S3',
        limits: { maxActiveJobs: 0, jobsOperationsPerMinute: 0, queriesPerMinute: 0 },
      },
      {
        HUB_TIER: 'S3',
        HUB_JOBS_OPS_PER_MINUTE: '50',
        HUB_QUOTA_SHARE: '0.4',
        HUB_MAX_ACTIVE_JOBS: '100',
        HUB_BUDGET_WAIT_MS: '100',
      },
    );
    directory = await mkdtemp(path.join(tmpdir(), 'hubjobs-e2e-second-'));
    const settingsFile = path.join(directory, 'local.settings.json');
    await writeFile(settingsFile, JSON.stringify({ IsEncrypted: false, Values: {} }));
    second = await spawnLocalHost({
      env: { ...stack.env, HOST_PORT: '0' },
      args: ['--settings', settingsFile],
      readyTimeoutMs: 60_000,
    });
  });
  after(async () => {
    await second?.stop('SIGTERM');
    await stack?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps the hub calls of both hosts together within the share, deferring the rest', async () => {
    await stack.admin.resetRequestCounts();
    const startedAt = Date.now();
    const create = (baseUrl: string) =>
      fetch(`${baseUrl}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(methodJob()),
      }).then((response) => response.status);
    const statuses = await Promise.all(
      Array.from({ length: createsPerHost }, () => [
        create(stack.host.baseUrl),
        create(second.baseUrl),
      ]).flat(),
    );
    // Both hosts keep polling (and retrying deferred submits) for a few seconds more.
    await sleep(4000);
    const requests = await stack.admin.requestCounts();
    const answers = await stack.admin.answerCounts();
    assert.ok(Date.now() - startedAt < 55_000, 'all of it within one minute of the budget');

    const spent = jobsOperationRoutes.reduce((sum, route) => sum + (requests[route] ?? 0), 0);
    assert.ok(spent <= budgetPerMinute, `${spent} jobs operations, budget ${budgetPerMinute}`);
    assert.ok(spent >= budgetPerMinute / 2, `the budget was used (${spent} operations)`);
    assert.ok(
      statuses.every((status) => status === 201 || status === 202),
      statuses.join(),
    );
    assert.ok(statuses.includes(202), 'creates beyond the budget wait as accepted (202)');
    const throttled = Object.values(answers).flatMap((byAnswer) =>
      Object.keys(byAnswer ?? {}).filter((answer) => answer.startsWith('429')),
    );
    assert.deepEqual(throttled, []);

    for (const host of [stack.host, second]) {
      const health = await api({ ...stack, host }, 'GET', '/health');
      assert.equal(health.json.budget.jobsOperations.limitPerMinute, budgetPerMinute);
      assert.ok(health.json.budget.jobsOperations.usedLastMinute <= budgetPerMinute);
    }
  });
});
