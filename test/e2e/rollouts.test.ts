import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { api, eventually, startE2eStack, type E2eStack } from './support/e2eStack';
import {
  assertEachOperatedOnce,
  fleetIds,
  rolloutProbes,
  rolloutWhenEnded,
} from './support/rolloutProbes';

/** S1's quotas and device-operation rate, all ×50, and hubjobs' budget to match: seconds, not minutes. */
const scale = 50;
const s1Scaled = {
  jobsOperationsPerMinute: 100 * scale,
  queriesPerMinute: 20 * scale,
  deviceOperationsPerSecond: 10 * scale,
};
const rolloutSettings = {
  HUB_JOBS_OPS_PER_MINUTE: String(s1Scaled.jobsOperationsPerMinute),
  HUB_QUERIES_PER_MINUTE: String(s1Scaled.queriesPerMinute),
  HUB_DEVICE_OPS_PER_SECOND: String(s1Scaled.deviceOperationsPerSecond),
  ROLLOUT_CHUNK_END_WAIT_MS: '5000',
  ROLLOUT_CHUNK_END_CHECK_MS: '100',
  MAX_TARGET_BLOB_BYTES: '100000',
};
const reboot = {
  type: 'scheduleDeviceMethod',
  cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
};

describe('rollouts end to end (S1, one job slot, every hub rate ×50)', () => {
  let stack: E2eStack;
  let probes: ReturnType<typeof rolloutProbes>;

  before(async () => {
    stack = await startE2eStack({ devices: 5000, tier: 'S1', limits: s1Scaled }, rolloutSettings);
    probes = rolloutProbes(stack);
  });
  after(async () => {
    await stack?.close();
  });

  const operationsOf = async (rolloutId: string) =>
    (await stack.admin.listOperations()).filter((entry) =>
      (entry.jobId ?? '').startsWith(`${rolloutId}-w`),
    );

  it('runs 5,000 ids a producer names in a blob: split, waved, every device once', async () => {
    const ids = fleetIds(5000);
    const blob = await probes.uploadIds('producer', 'meters.txt', `${ids.join('\r\n')}\r\n\r\n`);
    const messageId = await probes.enqueue({
      schemaVersion: 1,
      kind: 'startRollout',
      rolloutId: 'meters-1',
      rollout: { operation: reboot, targets: { deviceIdsBlob: blob }, waves: { count: 2000 } },
    });
    const rollout = await rolloutWhenEnded(stack, 'meters-1');
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    assert.deepEqual(
      rollout.waves.map((wave: { deviceCount: number }) => wave.deviceCount),
      [2000, 2000, 1000],
    );
    const operations = await operationsOf('meters-1');
    assertEachOperatedOnce(operations, ids);
    const succeeded = operations.filter((entry) => entry.outcome === 'succeeded').length;
    assert.equal(rollout.statistics.deviceCount, 5000);
    assert.equal(rollout.statistics.succeededCount, succeeded);
    assert.equal(rollout.statistics.failedCount, 5000 - succeeded);
    const chunkJobIds = rollout.waves.flatMap((wave: { jobIds: string[] }) => wave.jobIds);
    const listed = await api(stack, 'GET', '/jobs?rolloutId=meters-1&pageSize=1000');
    assert.deepEqual(
      listed.json.items.map((job: { jobId: string }) => job.jobId).sort(),
      [...chunkJobIds].sort(),
    );
    const plain = await api(stack, 'GET', '/jobs?pageSize=1000');
    assert.equal(plain.json.items.length, 0, 'plain GET /jobs leaves chunk jobs out');
    assert.equal(await probes.poisonErrors(messageId), undefined);
  });

  it('starts nothing twice when the same producer message comes again', async () => {
    const creates = (await stack.admin.requestCounts())['jobs.create'] ?? 0;
    const blob = 'producer/meters.txt';
    const messageId = await probes.enqueue({
      schemaVersion: 1,
      kind: 'startRollout',
      rolloutId: 'meters-1',
      rollout: { operation: reboot, targets: { deviceIdsBlob: blob }, waves: { count: 2000 } },
    });
    await eventually('the message is taken', async () => {
      const properties = await probes.queue.getProperties();
      return properties.approximateMessagesCount === 0;
    });
    await sleep(1500);
    assert.equal((await stack.admin.requestCounts())['jobs.create'] ?? 0, creates);
    assert.equal(await probes.poisonErrors(messageId), undefined);
    const rollouts = await api(stack, 'GET', '/rollouts');
    assert.equal(
      rollouts.json.items.filter((item: { rolloutId: string }) => item.rolloutId === 'meters-1')
        .length,
      1,
    );
  });

  it('runs group waves in order, canary then early then broad, each after the last ended', async () => {
    const created = await api(stack, 'POST', '/rollouts', {
      operation: reboot,
      targets: { queryCondition: "tags.building = '43'" },
      waves: {
        groups: ["tags.ring = 'canary'", "tags.ring = 'early'", "tags.ring = 'broad'"],
      },
    });
    assert.equal(created.status, 202, created.text);
    const location = created.headers.get('location') ?? '';
    const rolloutId = location.split('/').pop() ?? '';
    assert.ok(location.endsWith(`/api/rollouts/${rolloutId}`));
    const rollout = await rolloutWhenEnded(stack, rolloutId);
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    const operations = await operationsOf(rolloutId);
    const byWave = [1, 2, 3].map((wave) =>
      operations.filter((entry) => (entry.jobId ?? '').includes(`-w${wave}-`)),
    );
    for (const wave of byWave) assert.ok(wave.length > 0, 'every ring has devices in building 43');
    for (let wave = 1; wave < byWave.length; wave++) {
      const lastBefore = Math.max(...(byWave[wave - 1] ?? []).map((entry) => entry.seq));
      const firstAfter = Math.min(...(byWave[wave] ?? []).map((entry) => entry.seq));
      assert.ok(lastBefore < firstAfter, `wave ${wave + 1} started only after wave ${wave} ended`);
    }
    const expected = stack.hub.model.query(
      "SELECT COUNT() AS n FROM devices WHERE tags.building = '43'",
    ).items[0] as { n: number };
    assert.equal(operations.length, expected.n);
    assert.equal(new Set(operations.map((entry) => entry.deviceId)).size, expected.n);
  });

  it('answers a dryRun with count, plan and ETA, and changes nothing', async () => {
    const before = {
      creates: (await stack.admin.requestCounts())['jobs.create'] ?? 0,
      rollouts: await probes.rowCount('rollouts'),
      idempotency: await probes.rowCount('idempotency'),
      messages: (await probes.queue.getProperties()).approximateMessagesCount,
    };
    const ids = fleetIds(1200, 3001);
    const byIds = await api(
      stack,
      'POST',
      '/rollouts',
      { operation: reboot, targets: { deviceIds: ids }, waves: { count: 500 }, dryRun: true },
      { 'idempotency-key': 'dry-1' },
    );
    assert.equal(byIds.status, 200, byIds.text);
    assert.equal(byIds.json.deviceCount, 1200);
    assert.deepEqual(
      byIds.json.waves.map((wave: { deviceCount: number }) => wave.deviceCount),
      [500, 500, 200],
    );
    assert.ok(byIds.json.jobCount >= 3);
    assert.ok(byIds.json.etaSeconds >= 1200 / s1Scaled.deviceOperationsPerSecond);
    const byCondition = await api(stack, 'POST', '/rollouts', {
      operation: reboot,
      targets: { queryCondition: 'tags.floor = 3' },
      dryRun: true,
    });
    assert.equal(byCondition.status, 200, byCondition.text);
    const expected = stack.hub.model.query('SELECT COUNT() AS n FROM devices WHERE tags.floor = 3')
      .items[0] as { n: number };
    assert.equal(byCondition.json.deviceCount, expected.n);
    assert.equal(byCondition.json.jobCount, 1);
    assert.deepEqual(
      {
        creates: (await stack.admin.requestCounts())['jobs.create'] ?? 0,
        rollouts: await probes.rowCount('rollouts'),
        idempotency: await probes.rowCount('idempotency'),
        messages: (await probes.queue.getProperties()).approximateMessagesCount,
      },
      before,
    );
  });

  it("runs the README's producer example as written", async () => {
    const readme = await readFile(path.join(__dirname, '../../README.md'), 'utf8');
    const marker = readme.indexOf('<!-- producer-example');
    const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(marker));
    assert.ok(marker >= 0 && block?.[1], 'the README has the producer example');
    // Inside the project, so its imports resolve to the project's packages.
    const directory = path.join(__dirname, '../../.hubjobs/test-producer');
    await mkdir(directory, { recursive: true });
    const file = path.join(directory, `produce-rollout-${process.pid}.mts`);
    await writeFile(file, block[1]);
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
        env: {
          ...process.env,
          STORAGE_CONNECTION_STRING: stack.azurite.connectionString,
          JOB_REQUESTS_QUEUE: stack.env.JOB_REQUESTS_QUEUE,
        },
      });
      assert.match(stdout, /enqueued/);
    } finally {
      await rm(file, { force: true });
    }
    const rollout = await rolloutWhenEnded(stack, 'tariff-b');
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    assert.equal(rollout.waves.length, 4);
    assertEachOperatedOnce(await operationsOf('tariff-b'), fleetIds(1000));
    for (const id of ['device-00001', 'device-00500', 'device-01000']) {
      const twin = stack.hub.model.registry.getTwin(id) as {
        properties: { desired: Record<string, unknown> };
      };
      assert.equal(twin.properties.desired.tariff, 'B');
    }
  });

  it('poisons a malformed message, a missing blob and an oversize blob on first sight, with errors', async () => {
    const oversize = await probes.uploadIds('producer', 'too-big.txt', fleetIds(9000).join('\n'));
    const malformed = await probes.enqueue({
      schemaVersion: 1,
      kind: 'startRollout',
      rollout: { operation: { type: 'scheduleDeviceMethod' }, targets: {} },
    });
    const missing = await probes.enqueue({
      schemaVersion: 1,
      kind: 'startRollout',
      rollout: { operation: reboot, targets: { deviceIdsBlob: 'producer/absent.txt' } },
    });
    const tooBig = await probes.enqueue({
      schemaVersion: 1,
      kind: 'startRollout',
      rollout: { operation: reboot, targets: { deviceIdsBlob: oversize } },
    });
    await eventually('three poison copies', async () => (await probes.poisonTexts()).length >= 3);
    const errors = {
      malformed: await probes.poisonErrors(malformed),
      missing: await probes.poisonErrors(missing),
      tooBig: await probes.poisonErrors(tooBig),
    };
    assert.ok(
      errors.malformed?.some((error) => error.startsWith('rollout.operation.')),
      String(errors.malformed),
    );
    assert.ok(
      errors.missing?.some((error) => error.includes('producer/absent.txt does not exist')),
      String(errors.missing),
    );
    assert.ok(
      errors.tooBig?.some((error) => error.includes('over the limit of 100000')),
      String(errors.tooBig),
    );
    for (const text of await probes.poisonTexts())
      assert.ok(!text.includes('device-0'), 'no id is quoted');
    assert.ok(!(await probes.poisonTexts()).some((text) => text.includes('meters-1')));
  });

  it('stops at a 10% failure threshold in the first wave, 30% of devices failing', async () => {
    const ids = fleetIds(1000, 4001);
    const failing = ids.filter((_, index) => index % 10 < 3);
    await stack.admin.setBehaviour(failing, { fail: { status: 500 } });
    try {
      const created = await api(stack, 'PUT', '/rollouts/guarded', {
        operation: reboot,
        targets: { deviceIds: ids },
        waves: { count: 250 },
        failureThreshold: { percent: 10, minFinishedDevices: 20 },
      });
      assert.equal(created.status, 202, created.text);
      const rollout = await rolloutWhenEnded(stack, 'guarded');
      assert.equal(rollout.status, 'failed');
      assert.match(
        rollout.statusMessage,
        /^Failure threshold crossed: \d+ of \d+ finished devices failed/,
      );
      assert.deepEqual(
        rollout.waves.map((wave: { status: string }) => wave.status),
        ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
      );
      const atHub = [...stack.hub.model.jobs.jobsInOrder()]
        .map((job) => job.spec.jobId)
        .filter((jobId) => jobId.startsWith('guarded-'));
      assert.deepEqual(atHub, ['guarded-w1-c1-a1'], 'later waves never started');
    } finally {
      await stack.admin.clearBehaviours(failing);
    }
  });

  it('retries offline devices once back online, stops failing ones at maxAttempts, leaves timed-out ones, each (device, attempt) once', async () => {
    const ids = fleetIds(200, 4501);
    const away = ids.filter((_, index) => index % 10 === 0);
    const broken = ids.filter((_, index) => index % 10 === 1);
    const slow = ids.filter((_, index) => index % 10 === 2);
    await stack.admin.setDevicesOnline(away, false);
    await stack.admin.setBehaviour(broken, { fail: { status: 500 } });
    await stack.admin.setBehaviour(slow, { timeOut: true });
    const created = await api(stack, 'PUT', '/rollouts/retried', {
      operation: reboot,
      targets: { deviceIds: ids },
      retry: { outcomes: ['offline', 'failed'], maxAttempts: 3, delaySeconds: 1 },
    });
    assert.equal(created.status, 202, created.text);
    await eventually('their first attempt reached the hub', async () => {
      const operations = await operationsOf('retried');
      return away.every((id) => operations.some((entry) => entry.deviceId === id));
    });
    await stack.admin.setDevicesOnline(away, true);
    const rollout = await rolloutWhenEnded(stack, 'retried');
    await stack.admin.clearBehaviours([...broken, ...slow]);
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    assert.equal(rollout.statistics.deviceCount, 200);
    assert.equal(rollout.statistics.succeededCount, 200 - broken.length - slow.length);
    assert.equal(rollout.statistics.failedCount, broken.length + slow.length);
    const operations = await operationsOf('retried');
    const attempts = operations.map(
      (entry) => `${entry.deviceId} a${/-a(\d+)$/.exec(entry.jobId ?? '')?.[1]}`,
    );
    assert.equal(new Set(attempts).size, attempts.length, 'no (device, attempt) twice');
    const attemptOf = (n: number) =>
      operations
        .filter((entry) => (entry.jobId ?? '').endsWith(`-a${n}`))
        .map((entry) => entry.deviceId)
        .sort();
    assert.deepEqual(
      attemptOf(2),
      [...away, ...broken].sort(),
      'offline and failed, not timed out',
    );
    assert.deepEqual(attemptOf(3), [...broken].sort(), 'only the failing ones, up to maxAttempts');
    assert.deepEqual(attemptOf(4), [], 'no attempt past maxAttempts');
    const secondAttempts = operations.filter((entry) => (entry.jobId ?? '').endsWith('-a2'));
    const back = secondAttempts.filter((entry) => away.includes(entry.deviceId));
    assert.ok(back.every((entry) => entry.outcome === 'succeeded'));
    // The rollout ends with its last chunk; that chunk's results reach the merged rows with the
    // poller's import, a tick or two later.
    let rows: { deviceId: string; attempt: number; outcome: string }[] = [];
    await eventually('the last attempt is imported', async () => {
      rows = (await api(stack, 'GET', '/rollouts/retried/devices?pageSize=1000')).json.items;
      return rows.filter((row) => row.attempt === 3).length === broken.length;
    });
    const latest = (deviceIds: string[]) =>
      rows
        .filter((row) => deviceIds.includes(row.deviceId))
        .map((row) => `${row.attempt} ${row.outcome}`);
    assert.deepEqual(new Set(latest(away)), new Set(['2 succeeded']), 'latest attempt shown');
    assert.deepEqual(new Set(latest(broken)), new Set(['3 failed']), 'three attempts, then stop');
    assert.deepEqual(new Set(latest(slow)), new Set(['1 timedOut']));
  });
});

describe('cancelling a rollout mid-way (S1, 20 device operations a second)', () => {
  let stack: E2eStack;

  before(async () => {
    stack = await startE2eStack(
      { devices: 400, tier: 'S1', limits: { ...s1Scaled, deviceOperationsPerSecond: 20 } },
      { ...rolloutSettings, HUB_DEVICE_OPS_PER_SECOND: '20' },
    );
  });
  after(async () => {
    await stack?.close();
  });

  it('cancels the running chunk at the hub and creates no later one', async () => {
    const created = await api(stack, 'PUT', '/rollouts/cancel-me', {
      operation: reboot,
      // Chunks of 100 devices at 20 a second run 5 s: time enough for the cancel to find the
      // first one still running, however busy the machine.
      targets: { deviceIds: fleetIds(400) },
      waves: { count: 100 },
    });
    assert.equal(created.status, 202, created.text);
    const firstChunk = 'cancel-me-w1-c1-a1';
    await eventually('the first chunk runs at the hub', () => {
      const job = stack.hub.model.jobs.find(firstChunk);
      return Promise.resolve(job !== undefined && job.status === 'running');
    });
    const cancelled = await api(stack, 'POST', '/rollouts/cancel-me/cancel');
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.json.status, 'cancelled');
    await eventually('the hub cancels the running chunk', () =>
      Promise.resolve(stack.hub.model.jobs.find(firstChunk)?.status === 'cancelled'),
    );
    await sleep(2500);
    const atHub = [...stack.hub.model.jobs.jobsInOrder()].map((job) => job.spec.jobId);
    assert.deepEqual(atHub, [firstChunk], 'no later chunk reached the hub');
    const rollout = (await api(stack, 'GET', '/rollouts/cancel-me')).json;
    assert.equal(rollout.status, 'cancelled');
    assert.match(rollout.statusMessage, /2, 3, 4/);
  });

  it('starts no new chunk while paused, and completes once resumed', async () => {
    const ids = fleetIds(120, 1);
    const created = await api(stack, 'PUT', '/rollouts/paused', {
      operation: reboot,
      targets: { deviceIds: ids },
      waves: { count: 40 },
    });
    assert.equal(created.status, 202, created.text);
    await eventually('the first chunk runs at the hub', () =>
      Promise.resolve(stack.hub.model.jobs.find('paused-w1-c1-a1') !== undefined),
    );
    const paused = await api(stack, 'POST', '/rollouts/paused/pause');
    assert.equal(paused.status, 200, paused.text);
    assert.equal(paused.json.status, 'paused');
    const chunksAtHub = () =>
      [...stack.hub.model.jobs.jobsInOrder()]
        .map((job) => job.spec.jobId)
        .filter((jobId) => jobId.startsWith('paused-'));
    await eventually('the running chunk finishes', () =>
      Promise.resolve(
        chunksAtHub().every((jobId) => stack.hub.model.jobs.find(jobId)?.status === 'completed'),
      ),
    );
    const whenPaused = chunksAtHub();
    await sleep(2500);
    assert.deepEqual(chunksAtHub(), whenPaused, 'nothing new started while paused');
    assert.ok(whenPaused.length < 3, `${whenPaused.length} of 3 chunks ran before the pause`);
    const resumed = await api(stack, 'POST', '/rollouts/paused/resume');
    assert.equal(resumed.status, 200, resumed.text);
    const rollout = await rolloutWhenEnded(stack, 'paused');
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    assert.equal(rollout.statistics.succeededCount, 120);
    assert.equal(chunksAtHub().length, 3);
  });

  it('reruns exactly the failed devices of a rollout, in a new rollout linked to it', async () => {
    const ids = fleetIds(60, 121);
    const failing = ids.filter((_, index) => index % 6 === 0);
    await stack.admin.setBehaviour(failing, { fail: { status: 500 } });
    const created = await api(stack, 'PUT', '/rollouts/first-run', {
      operation: reboot,
      targets: { deviceIds: ids },
    });
    assert.equal(created.status, 202, created.text);
    const first = await rolloutWhenEnded(stack, 'first-run');
    await stack.admin.clearBehaviours(failing);
    assert.equal(first.statistics.failedCount, failing.length);
    let rerun: Awaited<ReturnType<typeof api>> | undefined;
    await eventually('the rerun is accepted once the results are imported', async () => {
      rerun = await api(stack, 'POST', '/rollouts/first-run/rerun');
      return rerun.status === 202;
    });
    const rerunId: string = rerun?.json.rolloutId;
    assert.equal(rerun?.json.rerunOf, 'first-run');
    const second = await rolloutWhenEnded(stack, rerunId);
    assert.equal(second.status, 'completed', second.statusMessage);
    assert.equal(second.statistics.succeededCount, failing.length);
    const reached = (await stack.admin.listOperations())
      .filter((entry) => (entry.jobId ?? '').startsWith(`${rerunId}-w`))
      .map((entry) => entry.deviceId)
      .sort();
    assert.deepEqual(reached, [...failing].sort());
  });
});
