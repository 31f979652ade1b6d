import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, eventually, startE2eStack, type E2eStack } from './support/e2eStack';

function methodJob(extra: Record<string, unknown> = {}) {
  return {
    type: 'scheduleDeviceMethod',
    queryCondition: "tags.building = '43'",
    cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
    maxExecutionTimeInSeconds: 300,
    ...extra,
  };
}

describe('admission and hub faults end to end (tier S1: one job slot)', () => {
  let stack: E2eStack;

  before(async () => {
    stack = await startE2eStack(
      {
        devices: 40,
        tier: 'S1',
        seed: 1,
        permanentFailureShare: 0.1,
        limits: { queriesPerMinute: 0 },
      },
      { HUB_CALL_TIMEOUT_MS: '1000' },
    );
  });
  after(() => stack.close());

  type StoredJob = { status: string; statistics: { deviceCount: number } };
  const job = async (jobId: string): Promise<StoredJob> => {
    const response = await api(stack, 'GET', `/jobs/${jobId}`);
    return response.json as StoredJob;
  };
  const imported = async (jobId: string) => {
    const current = await job(jobId);
    if (current.status !== 'completed') return false;
    const devices = await api(stack, 'GET', `/jobs/${jobId}/devices?pageSize=1000`);
    return devices.json.items.length === current.statistics.deviceCount;
  };

  it('holds a second job as accepted while one runs, and runs it after; a job for tomorrow takes no slot', async () => {
    const startTime = new Date(Date.now() + 4000).toISOString();
    const first = await api(stack, 'POST', '/jobs', methodJob({ startTime }));
    assert.equal(first.status, 201);
    const second = await api(stack, 'POST', '/jobs', methodJob());
    assert.equal(second.status, 202);
    assert.equal(second.json.status, 'accepted');
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
    const later = await api(stack, 'POST', '/jobs', methodJob({ startTime: tomorrow }));
    assert.equal(later.status, 202);

    const ids = [first.json.jobId as string, second.json.jobId as string];
    await eventually(
      'both jobs complete with their results',
      async () => (await imported(ids[0]!)) && (await imported(ids[1]!)),
    );

    // The emulator's own job list: both ran, one after the other; tomorrow's job is not there.
    const hubJobs = stack.hub.model.jobs.query({}, { pageSize: 100 }).items;
    assert.deepEqual(hubJobs.map((hubJob) => hubJob.jobId).sort(), [...ids].sort());
    const [a, b] = ids.map((id) => stack.hub.model.jobs.get(id));
    assert.ok(Date.parse(b!.createdTime) >= Date.parse(a!.endTime));
    assert.equal((await job(later.json.jobId as string)).status, 'accepted');
    // The operation log: every targeted device ran once per job, nothing lost, nothing doubled.
    for (const id of ids) {
      const operations = await stack.admin.listOperations({ jobId: id });
      const devices = operations.map((operation) => operation.deviceId);
      assert.equal(new Set(devices).size, devices.length);
      assert.equal(devices.length, (await job(id)).statistics.deviceCount);
    }
    await api(stack, 'POST', `/jobs/${later.json.jobId}/cancel`);
  });

  it('ends every job in its true state despite 429, 503 and slow hub answers during create, poll and import', async () => {
    await stack.admin.addFault({ route: 'jobs.create', status: 503, count: 2 });
    const first = await api(stack, 'POST', '/jobs', methodJob());
    assert.equal(first.status, 202, 'deferred, not failed');
    await stack.admin.addFault({
      route: 'jobs.create',
      status: 429,
      code: 429001,
      retryAfterSeconds: 1,
      count: 2,
    });
    await stack.admin.addFault({ route: 'jobs.get', status: 503, count: 2 });
    await stack.admin.addFault({ route: 'jobs.get', delayMs: 1200, count: 1 });
    await stack.admin.addFault({ route: 'devices.query', status: 429, code: 429001, count: 2 });
    await stack.admin.addFault({ route: 'devices.query', delayMs: 1200, count: 1 });
    const second = await api(
      stack,
      'POST',
      '/jobs',
      methodJob({ queryCondition: "tags.building = '44'" }),
    );
    assert.ok([201, 202].includes(second.status));

    const ids = [first.json.jobId as string, second.json.jobId as string];
    await eventually(
      'both jobs complete with their results',
      async () => (await imported(ids[0]!)) && (await imported(ids[1]!)),
      90_000,
    );
    for (const id of ids) {
      const stored = await job(id);
      const atHub = stack.hub.model.jobs.get(id);
      assert.equal(stored.status, atHub.status);
      // The hub counts no cancelled devices; hubjobs counts them from the imported results.
      assert.deepEqual(stored.statistics, { ...atHub.deviceJobStatistics, cancelledCount: 0 });
      const operations = await stack.admin.listOperations({ jobId: id });
      assert.equal(operations.length, atHub.deviceJobStatistics.deviceCount, 'no device ran twice');
    }
    assert.deepEqual(await stack.admin.listFaults(), [], 'every injected fault was met');
  });
});
