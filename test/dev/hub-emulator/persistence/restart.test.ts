import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StartHubEmulatorOptions } from '../../../../dev/hub-emulator/server';
import type { DeviceJobRecord, HubJob } from '../support/hubShapes';
import { startTestHub, type TestHub } from '../support/startTestHub';
import { waitFor } from '../support/waitFor';

const THUMBPRINT = 'AB'.repeat(20);

async function jobOf(hub: TestHub, jobId: string): Promise<HubJob> {
  return (await hub.jobClient.getJob(jobId)).jobStatus as HubJob;
}

function jobEnded(hub: TestHub, jobId: string): Promise<HubJob> {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = await jobOf(hub, jobId);
      return job.status === 'completed' || job.status === 'failed' ? job : undefined;
      // Slow enough that a job seconds away does not spend the tier's jobs-operations quota.
    },
    { intervalMs: 250 },
  );
}

async function deviceRecords(hub: TestHub, jobId: string): Promise<DeviceJobRecord[]> {
  const query = hub.registry.createQuery(
    `SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`,
  );
  return (await query.next()).result as DeviceJobRecord[];
}

/** Starts an emulator that must be refused; one that starts anyway is closed, then the test fails. */
async function refusal(options: StartHubEmulatorOptions): Promise<string> {
  const outcome = await startTestHub(options).catch((error: unknown) => error);
  if (!(outcome instanceof Error)) {
    await (outcome as TestHub).close();
    assert.fail('the emulator started although it should have been refused');
  }
  return outcome.message;
}

describe('an emulator restarted on the same state directory', () => {
  let stateDir: string;
  const base: StartHubEmulatorOptions = { devices: 4, tier: 'S2', stateSaveIntervalMs: 50 };

  before(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'hubjobs-hub-state-'));
  });
  after(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps every device, twin, module, configuration and job, and a scheduled job still runs', async () => {
    const first = await startTestHub({ ...base, stateDir });
    const created = await first.registry.create({
      deviceId: 'x509-device',
      authentication: { x509Thumbprint: { primaryThumbprint: THUMBPRINT } },
    });
    await first.registry.updateTwin('device-00002', { tags: { ring: 'pilot' } }, '*');
    await first.registry.addModule({ deviceId: 'device-00001', moduleId: 'sensor' });
    await first.registry.addConfiguration({
      id: 'firmware-1',
      schemaVersion: '1.0',
      content: { deviceContent: { 'properties.desired.fw': '2.0' } },
      targetCondition: "tags.ring = 'pilot'",
      priority: 5,
    });
    await first.jobClient.scheduleTwinUpdate(
      'twin-before',
      '*',
      { tags: { wave: 1 } },
      new Date(),
      60,
    );
    const twinJob = await jobEnded(first, 'twin-before');
    const later = new Date(Date.now() + 4000);
    const method = {
      methodName: 'lockDoor',
      payload: { why: 'restart' },
      responseTimeoutInSeconds: 5,
    };
    await first.jobClient.scheduleDeviceMethod('method-later', '*', method, later, 60);
    const twinBefore = (await first.registry.getTwin('device-00002')).responseBody;
    await first.close();

    const second = await startTestHub({ ...base, stateDir });
    try {
      assert.equal(second.hub.restored, true);
      // First, while its start time is still ahead: the job scheduled before the stop is scheduled.
      assert.equal((await jobOf(second, 'method-later')).status, 'scheduled');
      const devices = (await second.registry.list()).responseBody.map((device) => device.deviceId);
      assert.deepEqual(devices, [
        'device-00001',
        'device-00002',
        'device-00003',
        'device-00004',
        'x509-device',
      ]);
      const device = (await second.registry.get('x509-device')).responseBody;
      assert.equal(device.etag, created.responseBody.etag);
      assert.equal(device.authentication?.x509Thumbprint?.primaryThumbprint, THUMBPRINT);
      const twinAfter = (await second.registry.getTwin('device-00002')).responseBody;
      assert.equal(twinAfter.etag, twinBefore.etag);
      assert.deepEqual(twinAfter.tags, twinBefore.tags);
      assert.equal(
        (await second.registry.getModule('device-00001', 'sensor')).responseBody.moduleId,
        'sensor',
      );
      const configuration = (await second.registry.getConfiguration('firmware-1')).responseBody;
      assert.equal(configuration.priority, 5);
      assert.deepEqual(await jobOf(second, 'twin-before'), twinJob);
      const records = await deviceRecords(second, 'twin-before');
      assert.deepEqual(
        records.map((record) => record.status),
        ['completed', 'completed', 'completed', 'completed', 'completed'],
      );
      const ran = await jobEnded(second, 'method-later');
      assert.equal(ran.status, 'completed');
      assert.equal(ran.deviceJobStatistics.succeededCount, 5);
    } finally {
      await second.close();
    }
  });

  it('resumes a running job: waiting devices run, those whose answer was lost end GatewayTimeout', async () => {
    const dir = path.join(stateDir, 'running');
    const first = await startTestHub({
      ...base,
      stateDir: dir,
      methodLatencyMs: 60_000,
      limits: { deviceOperationsPerSecond: 1 },
    });
    const method = { methodName: 'reboot', payload: null, responseTimeoutInSeconds: 120 };
    await first.jobClient.scheduleDeviceMethod('interrupted', '*', method, new Date(), 600);
    await waitFor('a device operation in flight', async () => {
      const job = await jobOf(first, 'interrupted');
      return job.deviceJobStatistics.runningCount >= 1 ? job : undefined;
    });
    await first.close();

    const second = await startTestHub({
      ...base,
      stateDir: dir,
      limits: { deviceOperationsPerSecond: 0 },
    });
    try {
      const job = await jobEnded(second, 'interrupted');
      assert.equal(job.status, 'completed');
      const records = await deviceRecords(second, 'interrupted');
      const lost = records.filter((record) => record.error?.code === 'GatewayTimeout');
      const answered = records.filter((record) => record.status === 'completed');
      assert.ok(lost.length >= 1, 'the operation in flight at the stop is recorded as lost');
      assert.equal(lost.length + answered.length, 4);
      assert.ok(answered.length >= 1, 'devices still waiting ran after the restart');
      assert.equal(job.deviceJobStatistics.failedCount, lost.length);
      assert.equal(job.deviceJobStatistics.succeededCount, answered.length);
      const operations = await second.admin.listOperations({ jobId: 'interrupted' });
      assert.deepEqual(
        operations.map((entry) => entry.deviceId).sort(),
        answered.map((record) => record.deviceId).sort(),
        'no device that answered before the stop is called again',
      );
    } finally {
      await second.close();
    }
  });

  it('refuses a second emulator on a directory in use, and a directory of another seed', async () => {
    const dir = path.join(stateDir, 'busy');
    const first = await startTestHub({ ...base, stateDir: dir });
    try {
      assert.match(
        await refusal({ ...base, stateDir: dir }),
        /in use by another emulator \(process \d+\)/,
      );
    } finally {
      await first.close();
    }
    assert.match(await refusal({ ...base, seed: 7, stateDir: dir }), /started with seed 1, not 7/);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = path.join(stateDir, 'stale-lock');
    await mkdir(dir, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(path.join(dir, 'hub-state.lock'), String(gone));
    const hub = await startTestHub({ ...base, stateDir: dir });
    try {
      assert.equal(await readFile(path.join(dir, 'hub-state.lock'), 'utf8'), String(process.pid));
    } finally {
      await hub.close();
    }
  });

  it('refuses a state file that is not its own, naming the file', async () => {
    const dir = path.join(stateDir, 'foreign');
    const first = await startTestHub({ ...base, stateDir: dir });
    await first.close();
    await writeFile(path.join(dir, 'hub-state.json'), '{"hello": "world"}');
    assert.match(
      await refusal({ ...base, stateDir: dir }),
      /hub-state\.json cannot be used: it is not a hubjobs-hub-emulator-state file/,
    );
  });
});
