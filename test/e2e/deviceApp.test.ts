import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, eventually, startE2eStack, type E2eStack } from './support/e2eStack';

const deviceApp = path.resolve(__dirname, '../dev/hub-emulator/mqtt/fixtures/simDevice.js');

describe("the tutorial's device app, connected over MQTT, through the hubjobs API", () => {
  let stack: E2eStack;
  let device: ChildProcess;
  let deviceOutput = '';

  const finishedJob = async (body: unknown) => {
    const created = await api(stack, 'POST', '/jobs', body);
    assert.ok([201, 202].includes(created.status), created.text);
    const jobId = created.json.jobId as string;
    await eventually(`job ${jobId} ends with its results imported`, async () => {
      const job = await api(stack, 'GET', `/jobs/${jobId}`);
      const complete = (job.json.deviceResults as { complete?: boolean } | undefined)?.complete;
      return ['completed', 'failed'].includes(job.json.status as string) && complete === true;
    });
    const devices = await api(stack, 'GET', `/jobs/${jobId}/devices`);
    return devices.json.items as Record<string, unknown>[];
  };

  before(async () => {
    stack = await startE2eStack({
      devices: 2,
      tier: 'S1',
      mqttPort: 0,
      limits: { queriesPerMinute: 0 },
    });
    // Only the connection string and the CA differ from the tutorial's run.
    device = spawn(process.execPath, [deviceApp], {
      env: {
        ...process.env,
        DEVICE_CONNECTION_STRING: stack.hub.deviceConnectionString ?? '',
        NODE_EXTRA_CA_CERTS: stack.hub.caFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    device.stdout?.on('data', (chunk: Buffer) => (deviceOutput += chunk.toString()));
    device.stderr?.on('data', (chunk: Buffer) => (deviceOutput += chunk.toString()));
    await eventually('the device to listen for methods and desired changes', () =>
      Promise.resolve(
        stack.hub.mqtt
          ?.connected()
          .some((entry) => entry.deviceId === 'myDeviceId' && entry.methods && entry.desired) ??
          false,
      ),
    );
  });
  after(async () => {
    if (device.exitCode === null) {
      const exited = once(device, 'exit');
      device.kill('SIGTERM');
      await exited;
    }
    await stack.close();
  });

  it("runs lockDoor on the device and records its answer as the device's result", async () => {
    const items = await finishedJob({
      type: 'scheduleDeviceMethod',
      deviceIds: ['myDeviceId'],
      cloudToDeviceMethod: { methodName: 'lockDoor', payload: null, responseTimeoutInSeconds: 15 },
    });
    assert.equal(items.length, 1);
    assert.equal(items[0]?.outcome, 'succeeded');
    assert.equal((items[0]?.methodResponse as { status: number }).status, 200);
    assert.match(deviceOutput, /Locking Door!/);
  });

  it("delivers a twin job's desired patch to the device, whose reported answer shows in the twin", async () => {
    const items = await finishedJob({
      type: 'scheduleUpdateTwin',
      deviceIds: ['myDeviceId'],
      updateTwin: { properties: { desired: { building: '43', floor: 3 } }, etag: '*' },
    });
    assert.equal(items[0]?.outcome, 'succeeded');
    await eventually('the device to report the patch back', () => {
      const reported = stack.hub.model.registry.getTwin('myDeviceId').properties.reported;
      return Promise.resolve(reported.building === '43' && reported.floor === 3);
    });
    assert.match(deviceOutput, /Desired properties: \{"building":"43","floor":3\}/);
  });
});
