import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import type { DeviceJobRecord, HubJob } from '../support/hubShapes';
import { startTestHub, type TestHub } from '../support/startTestHub';
import { waitFor } from '../support/waitFor';
import { answerMethods, connectDevice, inbox, nextMessage } from './support/mqttDevice';

const terminal = new Set(['completed', 'failed', 'cancelled']);

async function runMethodJob(test: TestHub, deviceIds: string[], methodName = 'lockDoor') {
  const jobId = randomUUID();
  const condition = `deviceId IN [${deviceIds.map((id) => `'${id}'`).join(',')}]`;
  const method = { methodName, payload: { door: 'front' }, responseTimeoutInSeconds: 5 };
  await test.jobClient.scheduleDeviceMethod(jobId, condition, method, new Date(), 60);
  return finished(test, jobId);
}

async function finished(test: TestHub, jobId: string) {
  const job = await waitFor(`job ${jobId} to end`, async () => {
    const status = (await test.jobClient.getJob(jobId)).jobStatus as HubJob;
    return terminal.has(status.status) ? status : undefined;
  });
  const sql = `SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`;
  const page = await test.registry.createQuery(sql, 100).next();
  return { job, records: page.result as DeviceJobRecord[] };
}

function connectionState(test: TestHub, deviceId: string): string {
  return test.hub.model.registry.getTwin(deviceId).connectionState;
}

describe('jobs on devices connected over MQTT', { timeout: 30_000 }, () => {
  let test: TestHub;
  const clients: MqttClient[] = [];
  const connect = async (deviceId: string) => {
    const client = await connectDevice(test.hub, test.ca, deviceId);
    clients.push(client);
    return client;
  };

  before(async () => {
    test = await startTestHub({
      devices: 3,
      tier: 'S3',
      mqttPort: 0,
      limits: { deviceOperationsPerSecond: 0 },
      log: () => undefined,
    });
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.endAsync(true)));
    await test.close();
  });

  it("records the device's own status and payload as its job outcome", async () => {
    const device = await connect('device-00001');
    await answerMethods(device, (methodName, payload) => ({
      status: 201,
      payload: { methodName, echoed: payload },
    }));
    const { job, records } = await runMethodJob(test, ['device-00001', 'device-00002']);
    assert.equal(job.status, 'completed');
    const connected = records.find((record) => record.deviceId === 'device-00001');
    assert.equal(connected?.status, 'completed');
    assert.deepEqual(connected?.outcome?.deviceMethodResponse, {
      status: 201,
      payload: { methodName: 'lockDoor', echoed: { door: 'front' } },
    });
    // device-00002 has never connected: with the default it is still simulated.
    const simulated = records.find((record) => record.deviceId === 'device-00002');
    assert.equal(simulated?.outcome?.deviceMethodResponse?.payload.result, 'ok');
  });

  it('fails a device that answers an error status with DeviceMethodFailed', async () => {
    const device = await connect('device-00002');
    await answerMethods(device, () => ({ status: 500, payload: { error: 'jammed' } }));
    const { records } = await runMethodJob(test, ['device-00002']);
    assert.equal(records[0]?.status, 'failed');
    assert.equal(records[0]?.error?.code, 'DeviceMethodFailed');
    assert.deepEqual(records[0]?.outcome?.deviceMethodResponse, {
      status: 500,
      payload: { error: 'jammed' },
    });
  });

  it('gives 504 to a device that drops the connection after the method reached it, 404103 once it is gone', async () => {
    const device = await connect('device-00003');
    await device.subscribeAsync('$iothub/methods/POST/#');
    const delivered = nextMessage(device, '$iothub/methods/POST/');
    const running = runMethodJob(test, ['device-00003']);
    await delivered;
    device.stream.destroy(); // gone without an answer, as a crashed device is
    const afterDelivery = await running;
    assert.equal(afterDelivery.records[0]?.error?.code, 'GatewayTimeout');
    await waitFor('the hub to see device-00003 disconnected', () =>
      connectionState(test, 'device-00003') === 'Disconnected' ? true : undefined,
    );
    const beforeDelivery = await runMethodJob(test, ['device-00003']);
    assert.equal(beforeDelivery.records[0]?.error?.code, 'DeviceNotOnline');
  });

  it("sends a twin job's desired patch to the connected device and echoes nothing for it", async () => {
    const device = await connect('device-00001');
    await device.subscribeAsync('$iothub/twin/PATCH/properties/desired/#');
    const notified = nextMessage(device, '$iothub/twin/PATCH/properties/desired/');
    const jobId = randomUUID();
    const patch = { etag: '*', properties: { desired: { building: '44', floor: 2 } } };
    await test.jobClient.scheduleTwinUpdate(
      jobId,
      "deviceId = 'device-00001'",
      patch,
      new Date(),
      60,
    );
    const { topic, body } = await notified;
    const change = JSON.parse(body) as Record<string, unknown>;
    assert.deepEqual(
      { building: change.building, floor: change.floor },
      { building: '44', floor: 2 },
    );
    assert.equal(
      topic,
      `$iothub/twin/PATCH/properties/desired/?$version=${String(change.$version)}`,
    );
    const { records } = await finished(test, jobId);
    assert.equal(records[0]?.status, 'completed');
    const twin = await test.registry.getTwin('device-00001');
    assert.equal(twin.responseBody.properties.desired.building, '44');
    assert.equal(twin.responseBody.properties.reported.building, undefined);
  });
});

describe('a connected device switched off line through the admin API', { timeout: 30_000 }, () => {
  let test: TestHub;
  before(async () => {
    test = await startTestHub({ devices: 0, mqttPort: 0, log: () => undefined });
  });
  after(() => test.close());

  it('answers 404103 and hears no desired change until it is back on line', async () => {
    await test.registry.create({ deviceId: 'door-9' });
    const device = await connectDevice(test.hub, test.ca, 'door-9');
    const received = inbox(device);
    await device.subscribeAsync('$iothub/twin/PATCH/properties/desired/#');
    await answerMethods(device, () => ({ status: 200, payload: {} }));
    await test.admin.setDeviceOnline('door-9', false);
    await assert.rejects(
      test.hub.model.registry.invokeMethod('door-9', { methodName: 'lockDoor' }),
      (error: { code?: number }) => error.code === 404103,
    );
    await test.registry.updateTwin('door-9', { properties: { desired: { step: 1 } } }, '*');
    await test.admin.setDeviceOnline('door-9', true);
    const next = nextMessage(device, '$iothub/twin/PATCH/properties/desired/');
    await test.registry.updateTwin('door-9', { properties: { desired: { step: 2 } } }, '*');
    await next;
    assert.deepEqual(
      received.map(
        (line) => (JSON.parse(line.slice(line.indexOf(' ') + 1)) as { step: number }).step,
      ),
      [2],
    );
    await device.endAsync(true);
  });
});

describe('unconnected devices set to offline', { timeout: 30_000 }, () => {
  let test: TestHub;
  before(async () => {
    test = await startTestHub({
      devices: 2,
      mqttPort: 0,
      unconnectedDevices: 'offline',
      log: () => undefined,
    });
  });
  after(() => test.close());

  it('answers 404103 and shows them disconnected until they connect', async () => {
    assert.equal(connectionState(test, 'device-00001'), 'Disconnected');
    await assert.rejects(
      test.hub.model.registry.invokeMethod('device-00001', { methodName: 'lockDoor' }),
      (error: { code?: number }) => error.code === 404103,
    );
    const device = await connectDevice(test.hub, test.ca, 'device-00001');
    await answerMethods(device, () => ({ status: 200, payload: { locked: true } }));
    const answer = await test.hub.model.registry.invokeMethod('device-00001', {
      methodName: 'lockDoor',
    });
    assert.deepEqual(answer, { status: 200, payload: { locked: true } });
    assert.equal(connectionState(test, 'device-00001'), 'Connected');
    await device.endAsync(true);
  });

  it('waits connectTimeoutInSeconds for a device to connect, then answers 404103', async () => {
    // Nothing connects: after the wait the hub gives up.
    await assert.rejects(
      test.hub.model.registry.invokeMethod('device-00002', {
        methodName: 'lockDoor',
        connectTimeoutInSeconds: 1,
      }),
      (error: { code?: number }) => error.code === 404103,
    );
    // The device connects while the call waits for it: the call reaches it.
    const call = test.hub.model.registry.invokeMethod('device-00002', {
      methodName: 'lockDoor',
      connectTimeoutInSeconds: 20,
    });
    const device = await connectDevice(test.hub, test.ca, 'device-00002');
    await answerMethods(device, () => ({ status: 200, payload: { late: true } }));
    assert.deepEqual(await call, { status: 200, payload: { late: true } });
    await device.endAsync(true);
  });
});
