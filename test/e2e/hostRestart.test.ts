import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnLocalHost, type SpawnedLocalHost } from '../../dev/host/spawnLocalHost';
import { superviseHost, type HostSupervisor } from '../../dev/hostSupervisor';
import {
  startHubEmulator,
  type RunningHubEmulator,
  type StartHubEmulatorOptions,
} from '../../dev/hub-emulator/server';
import { startEmulatorStack, type EmulatorStack } from '../support/emulatorStack';
import { eventually } from './support/e2eStack';

const certDir = path.join(tmpdir(), 'hubjobs-test-e2e-cert');

async function api(host: SpawnedLocalHost, method: string, apiPath: string, body?: unknown) {
  const response = await fetch(`${host.baseUrl}${apiPath}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The job once it has ended with every device result imported, asked of whichever host runs. */
async function endedWithResults(
  host: () => SpawnedLocalHost,
  jobId: string,
): Promise<Record<string, unknown>> {
  let job: Record<string, unknown> = {};
  await eventually(`job ${jobId} ends with its results imported`, async () => {
    job = (await api(host(), 'GET', `/jobs/${jobId}`)).json;
    const results = job.deviceResults as { complete?: boolean } | undefined;
    return ['completed', 'failed'].includes(job.status as string) && results?.complete === true;
  });
  return job;
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('the local Functions host under the npm start supervisor, and a hub restart', () => {
  let backends: EmulatorStack;
  let hubOptions: StartHubEmulatorOptions;
  let restartedHub: RunningHubEmulator | undefined;
  let directory: string;
  let supervisor: HostSupervisor;
  const lines: string[] = [];
  let gaveUp = false;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'hubjobs-host-restart-'));
    const settingsFile = path.join(directory, 'local.settings.json');
    await writeFile(settingsFile, JSON.stringify({ IsEncrypted: false, Values: {} }));
    // Each device answers after 1.5 s, so the hub job is still running when the host dies.
    hubOptions = {
      devices: 6,
      tier: 'S1',
      methodLatencyMs: 1500,
      limits: { deviceOperationsPerSecond: 0 },
      stateDir: path.join(directory, 'hub-state'),
      stateSaveIntervalMs: 50,
    };
    backends = await startEmulatorStack(hubOptions, { certDir, namePrefix: 'r' });
    const env = backends.appEnv({
      HOST_PORT: '0',
      POLL_SCHEDULE: '*/1 * * * * *',
      POLL_INTERVAL_SECONDS: '1',
      QUEUE_POLL_MIN_MS: '50',
      QUEUE_POLL_MAX_MS: '250',
    });
    supervisor = await superviseHost({
      start: () =>
        spawnLocalHost({ env, args: ['--settings', settingsFile], readyTimeoutMs: 60_000 }),
      log: (line) => lines.push(line),
      onGiveUp: () => {
        gaveUp = true;
      },
      restartDelayMs: 100,
    });
  });
  after(async () => {
    await supervisor.stop();
    await restartedHub?.close();
    await backends.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('restarts a killed host while the hub keeps the job, which then ends completed', async () => {
    const created = await api(supervisor.current(), 'POST', '/jobs', {
      type: 'scheduleDeviceMethod',
      deviceIds: ['device-00001', 'device-00002', 'device-00003'],
      cloudToDeviceMethod: { methodName: 'lockDoor', payload: null, responseTimeoutInSeconds: 10 },
      maxExecutionTimeInSeconds: 300,
    });
    assert.equal(created.status, 201);
    const jobId = created.json.jobId as string;
    await eventually('the hub runs the job', () =>
      Promise.resolve(backends.hub.model.jobs.query({ jobStatus: 'running' }, {}).items.length > 0),
    );
    const killed = supervisor.current();
    process.kill(killed.pid, 'SIGKILL');
    await eventually('the supervisor restarted the host', () =>
      Promise.resolve(supervisor.restarts() === 1),
    );
    assert.notEqual(supervisor.current().pid, killed.pid);
    assert.ok(
      lines.some((line) =>
        line.includes(`(pid ${killed.pid}) exited unexpectedly on signal SIGKILL`),
      ),
    );

    const job = await endedWithResults(() => supervisor.current(), jobId);
    assert.equal(job.status, 'completed');
    const statistics = job.statistics as Record<string, number>;
    assert.equal(statistics.deviceCount, 3);
    assert.equal(statistics.succeededCount, 3);
    assert.equal(statistics.failedCount, 0);
    assert.equal(gaveUp, false);
  });

  it('runs a job scheduled at the hub before the hub restarted on its state directory', async () => {
    const startTime = new Date(Date.now() + 6000).toISOString();
    const created = await api(supervisor.current(), 'POST', '/jobs', {
      type: 'scheduleDeviceMethod',
      deviceIds: ['device-00004', 'device-00005'],
      cloudToDeviceMethod: {
        methodName: 'unlockDoor',
        payload: null,
        responseTimeoutInSeconds: 10,
      },
      startTime,
      maxExecutionTimeInSeconds: 300,
    });
    assert.equal(created.status, 201);
    const jobId = created.json.jobId as string;
    await eventually('the hub holds the job as scheduled', () =>
      Promise.resolve(
        backends.hub.model.jobs.query({ jobStatus: 'scheduled' }, {}).items.length === 1,
      ),
    );
    const port = backends.hub.port;
    await backends.hub.close();
    restartedHub = await startHubEmulator({ certDir, log: () => undefined, ...hubOptions, port });
    assert.equal(restartedHub.restored, true);

    const job = await endedWithResults(() => supervisor.current(), jobId);
    assert.equal(job.status, 'completed');
    const statistics = job.statistics as Record<string, number>;
    assert.equal(statistics.succeededCount, 2);
    assert.equal(statistics.failedCount, 0);
  });

  it('does not restart a host it was asked to stop', async () => {
    const running = supervisor.current();
    await supervisor.stop();
    assert.equal(isGone(running.pid), true);
    assert.equal(supervisor.restarts(), 1);
    assert.equal(supervisor.current(), running);
  });
});
