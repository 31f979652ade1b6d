import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnLocalHost, type SpawnedLocalHost } from '../../dev/host/spawnLocalHost';
import { isRunning } from '../support/processes';

const fixture = path.join(__dirname, 'fixtures', 'sampleDeclarations.ts');

describe('the local host as its own process', () => {
  let directory = '';
  let settingsFile = '';
  const spawned: SpawnedLocalHost[] = [];
  const start = async (env: Record<string, string> = {}): Promise<SpawnedLocalHost> => {
    const host = await spawnLocalHost({
      args: ['--declarations', fixture, '--settings', settingsFile],
      env: { HOST_PORT: '0', ...env },
    });
    spawned.push(host);
    return host;
  };

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'host-process-'));
    settingsFile = path.join(directory, 'local.settings.json');
    const values = { TICK_SCHEDULE: '0 0 0 1 1 *', SAMPLE_SETTING: 'from-file' };
    await writeFile(settingsFile, JSON.stringify({ IsEncrypted: false, Values: values }));
  });
  after(async () => {
    await Promise.all(spawned.map((host) => host.stop('SIGKILL')));
    await rm(directory, { recursive: true, force: true });
  });

  let first: SpawnedLocalHost;

  it('prints its API URL and serves requests with settings from the file and the environment', async () => {
    first = await start({ SAMPLE_SETTING: 'from-env' });
    assert.match(first.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const response = await fetch(`${first.baseUrl}/health`);
    assert.deepEqual(await response.json(), { status: 'ok', setting: 'from-env' });
    assert.match(first.output(), /\[host\] {3}tick: timerTrigger \(0 0 0 1 1 \*\)/);
  });

  it('names the port when it is already in use', async () => {
    await assert.rejects(start({ HOST_PORT: String(first.port) }), /Port \d+ is already in use/);
  });

  it('stops on SIGINT with exit code 0', async () => {
    assert.deepEqual(await first.stop('SIGINT'), { code: 0, signal: null });
    assert.equal(isRunning(first.pid), false);
  });

  it('finishes a running request on SIGTERM, then exits 0 leaving no process', async () => {
    const host = await start();
    const slow = fetch(`${host.baseUrl}/slow?ms=700`);
    while (!host.output().includes('[slow] sleeping 700 ms')) await sleep(10);
    const stopped = host.stop('SIGTERM');
    const response = await slow;
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'slept 700');
    assert.deepEqual(await stopped, { code: 0, signal: null });
    assert.equal(isRunning(host.pid), false);
    assert.match(host.output(), /SIGTERM: stopping/);
  });

  it('fails to start, naming the setting, when a trigger refers to a missing one', async () => {
    await assert.rejects(start({ TICK_SCHEDULE: '' }), (error: Error) => {
      assert.match(error.message, /exited \(code 1\)/);
      assert.match(error.message, /Start-up failed: .*TICK_SCHEDULE is not set/);
      return true;
    });
  });
});
