import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHubClients } from '../../../src/hub/createHubClients';
import { testCertDir } from './support/testCertDir';
import { waitFor } from './support/waitFor';

const cli = path.resolve(__dirname, '../../../dev/hub-emulator/cli.ts');

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  return { child, output, exited };
}

describe('the hub CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-cli-test-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('exits 2 with a clear message on a bad flag', async () => {
    const { output, exited } = runCli(['--devices', 'many']);
    const [code] = await exited;
    assert.equal(code, 2);
    assert.match(output.stderr, /--devices must be a number >= 0 \(got "many"\)/);
    assert.match(output.stderr, /Usage: npm run hub/);
  });

  it('writes the info file, serves the SDK, never prints the key, and stops on SIGTERM', async () => {
    const infoFile = path.join(dir, 'hub.json');
    const args = ['--port', '0', '--devices', '3', '--seed', '9', '--info-file', infoFile];
    const { child, output, exited } = runCli([...args, '--cert-dir', testCertDir]);
    try {
      const info = await waitFor('the info file', () =>
        readFile(infoFile, 'utf8').then(
          (text) => JSON.parse(text) as Record<string, string>,
          () => undefined,
        ),
      );
      assert.deepEqual(Object.keys(info).sort(), [
        'caFile',
        'connectionString',
        'endpoint',
        'hostName',
      ]);
      const ca = await readFile(info['caFile'] ?? '');
      const { registry } = createHubClients({
        connectionString: info['connectionString'] ?? '',
        endpoint: info['endpoint'] ?? '',
        ca,
      });
      const twin = await registry.getTwin('device-00003');
      assert.equal(twin.responseBody.deviceId, 'device-00003');
      await waitFor('the startup line', () =>
        output.stdout.includes('listening') ? true : undefined,
      );
      assert.ok(output.stdout.includes(info['endpoint'] ?? 'missing'));
      const key = /SharedAccessKey=([^;]+)/.exec(info['connectionString'] ?? '')?.[1] ?? 'missing';
      assert.ok(!output.stdout.includes(key) && !output.stderr.includes(key));
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0);
  });
});
