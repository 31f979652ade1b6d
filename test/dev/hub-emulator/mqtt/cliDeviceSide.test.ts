import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import { testCertDir } from '../support/testCertDir';
import { waitFor } from '../support/waitFor';

const cli = path.resolve(__dirname, '../../../../dev/hub-emulator/cli.ts');

describe('the hub CLI with its device side on', { timeout: 30_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-cli-mqtt-test-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes a device connection string the device SDK connects with, and prints no key', async () => {
    const infoFile = path.join(dir, 'hub.json');
    const args = ['--port', '0', '--mqtt-port', '0', '--devices', '2', '--info-file', infoFile];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, ...args, '--cert-dir', testCertDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      const info = await waitFor('the info file', () =>
        readFile(infoFile, 'utf8').then(
          (text) => JSON.parse(text) as Record<string, string>,
          () => undefined,
        ),
      );
      const deviceConnectionString = info['deviceConnectionString'] ?? '';
      assert.match(info['mqttEndpoint'] ?? '', /^mqtts:\/\/127\.0\.0\.1:\d+$/);
      assert.match(
        deviceConnectionString,
        /^HostName=localhost;DeviceId=myDeviceId;SharedAccessKey=[^;]+;GatewayHostName=127\.0\.0\.1:\d+$/,
      );
      const client = Client.fromConnectionString(deviceConnectionString, Mqtt);
      await client.setOptions({ ca: await readFile(info['caFile'] ?? '', 'utf8') });
      await client.open();
      const twin = await client.getTwin();
      assert.equal(typeof twin.properties.desired.$version, 'number');
      await client.close();
      await waitFor('the startup line', () => (printed.includes('listening') ? true : undefined));
      assert.ok(printed.includes(info['mqttEndpoint'] ?? 'missing'));
      const deviceKey = /SharedAccessKey=([^;]+)/.exec(deviceConnectionString)?.[1] ?? 'missing';
      assert.equal(printed.includes(deviceKey), false);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
  });
});
