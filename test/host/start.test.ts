import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { waitUntil } from './waitUntil';
import { isRunning } from '../support/processes';

const appRoot = path.join(__dirname, '../..');
const readyTimeoutMs = Number(process.env.START_TEST_READY_TIMEOUT_MS ?? 120_000);

/** Every process below `pid` (Linux /proc), so the test can prove none is left behind. */
async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

describe('npm start (dev/start.ts)', () => {
  let stateDir = '';
  let child: ChildProcess;
  let output = '';

  /** Starts `npm start` on the state folder and waits for its banner; answers its API URL. */
  const start = async (): Promise<string> => {
    output = '';
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const ports = ['host', 'hub', 'mqtt', 'blob', 'queue', 'table'].flatMap((name) => [
      `--${name}-port`,
      '0',
    ]);
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'dev/start.ts', ...ports, '--devices', '5', '--state-dir', stateDir],
      { cwd: appRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = (): boolean => child.exitCode !== null;
    await waitUntil(
      'npm start to be ready',
      () => output.includes('Press Ctrl-C') || exited(),
      readyTimeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.slice(-3000)}`);
    });
    assert.ok(!exited(), `npm start exited early:\n${output.slice(-3000)}`);
    const api = /API: +(http:\/\/127\.0\.0\.1:\d+\/api)/.exec(output)?.[1];
    assert.ok(api, output);
    return api;
  };

  before(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'hubjobs-start-'));
    await start();
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(stateDir, { recursive: true, force: true });
  });

  it('prints the API URL and a curl example that works', async () => {
    const api = /API: +(http:\/\/127\.0\.0\.1:\d+\/api)/.exec(output)?.[1];
    assert.ok(api, output);
    assert.equal((await fetch(`${api}/health`)).status, 200);
    const curl = /curl -s -X POST (\S+) -H 'content-type: application\/json' -d '([^']+)'/.exec(
      output,
    );
    assert.ok(curl?.[1] && curl[2], output);
    const created = await fetch(curl[1], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: curl[2],
    });
    assert.ok([201, 202].includes(created.status), `status ${created.status}`);
  });

  it('keeps the emulator info and certificate in the state folder', async () => {
    const info = JSON.parse(await readFile(path.join(stateDir, 'hub.json'), 'utf8')) as {
      caFile: string;
      mqttEndpoint?: string;
      deviceConnectionString?: string;
    };
    assert.equal(info.caFile, path.join(stateDir, 'hub', 'cert.pem'));
    // The device side is on, its device key in the info file only.
    assert.match(info.mqttEndpoint ?? '', /^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const deviceKey = /SharedAccessKey=([^;]+)/.exec(info.deviceConnectionString ?? '')?.[1];
    assert.ok(deviceKey && !output.includes(deviceKey));
  });

  it('stops everything on SIGINT, leaving no process behind', async () => {
    const pid = child.pid ?? -1;
    const children = await descendantsOf(pid);
    assert.ok(children.length >= 2, 'Azurite and the host run as child processes');
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    await waitUntil(
      'every child process to end',
      () => children.every((p) => !isRunning(p)),
      10_000,
    );
    assert.match(output, /Stopped\./);
  });

  it('starts again on the same folder with every job kept, and a job scheduled at the hub before the stop runs', async () => {
    let api = await start();
    const jobBody = (startTime?: string) => ({
      type: 'scheduleDeviceMethod',
      cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
      deviceIds: ['device-00001', 'device-00002'],
      ...(startTime === undefined ? {} : { startTime }),
    });
    const put = (jobId: string, body: unknown) =>
      fetch(`${api}/jobs/${jobId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const statusOf = async (jobId: string) =>
      ((await (await fetch(`${api}/jobs/${jobId}`)).json()) as { status?: string }).status;
    assert.ok([201, 202].includes((await put('before-restart', jobBody())).status));
    await waitUntil(
      'the first job to complete',
      async () => (await statusOf('before-restart')) === 'completed',
      30_000,
      250,
    );
    // Created only once S1's one slot is free again, so it goes straight to the hub and its start
    // time cannot pass while it waits for the slot (on a busy machine it would then run, never
    // having been seen scheduled).
    const later = new Date(Date.now() + 20_000).toISOString();
    assert.ok([201, 202].includes((await put('scheduled-at-hub', jobBody(later))).status));
    await waitUntil(
      'the second job to be scheduled at the hub',
      async () => (await statusOf('scheduled-at-hub')) === 'scheduled',
      15_000,
      250,
    );
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await exited;

    api = await start();
    assert.match(output, /state kept from the last run/);
    assert.equal(await statusOf('before-restart'), 'completed');
    await waitUntil(
      'the job scheduled before the stop to run at the hub',
      async () => (await statusOf('scheduled-at-hub')) === 'completed',
      60_000,
      250,
    );
    let outcomes: string[][] = [];
    await waitUntil(
      'its device results to be imported',
      async () => {
        const page = (await (await fetch(`${api}/jobs/scheduled-at-hub/devices`)).json()) as {
          items: { deviceId: string; outcome: string }[];
        };
        outcomes = page.items.map((item) => [item.deviceId, item.outcome]);
        return outcomes.length === 2;
      },
      30_000,
      250,
    );
    assert.deepEqual(outcomes, [
      ['device-00001', 'succeeded'],
      ['device-00002', 'succeeded'],
    ]);
    const stopped = once(child, 'exit');
    child.kill('SIGINT');
    await stopped;
  });
});
