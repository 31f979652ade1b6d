import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { hubKeyOf, startTestHub, type TestHub } from '../support/startTestHub';
import { waitFor } from '../support/waitFor';
import {
  answerMethods,
  connectDevice,
  inbox,
  nextMessage,
  primaryKeyOf,
  sasToken,
} from './support/mqttDevice';

describe('the emulator device side over MQTT', { timeout: 30_000 }, () => {
  let test: TestHub;
  const clients: MqttClient[] = [];
  const connect = async (
    ...args: Parameters<typeof connectDevice> extends [unknown, unknown, ...infer R] ? R : never
  ) => {
    const client = await connectDevice(test.hub, test.ca, ...args);
    clients.push(client);
    return client;
  };

  before(async () => {
    test = await startTestHub({ devices: 3, mqttPort: 0, log: () => undefined });
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.endAsync(true)));
    await test.close();
  });

  describe('sign-in', () => {
    const refusal = async (password: string, username?: string) => {
      const attempt = connectDevice(test.hub, test.ca, 'device-00001', {
        password,
        ...(username ? { username } : {}),
      });
      const error = await attempt.then(
        (client) => client.endAsync(true).then(() => undefined),
        (failure: unknown) => failure as { code?: number },
      );
      return error?.code;
    };
    const resource = () => `${test.hub.hostName}/devices/device-00001`;

    it('refuses a wrong device key at connect (not authorized)', async () => {
      const wrongKey = primaryKeyOf(test.hub, 'device-00002');
      assert.equal(await refusal(sasToken({ resource: resource(), key: wrongKey })), 5);
    });

    it('refuses an expired token, a token for another device and a username for another device', async () => {
      const key = primaryKeyOf(test.hub, 'device-00001');
      const expired = sasToken({ resource: resource(), key, expiresAtSeconds: 1_000 });
      assert.equal(await refusal(expired), 5);
      const other = sasToken({ resource: `${test.hub.hostName}/devices/device-00002`, key });
      assert.equal(await refusal(other), 5);
      const good = sasToken({ resource: resource(), key });
      assert.equal(
        await refusal(good, `${test.hub.hostName}/device-00002/?api-version=2021-04-12`),
        5,
      );
    });

    it('accepts the secondary key and an iothubowner policy token for the hub', async () => {
      const secondary =
        test.hub.model.registry.getDevice('device-00003').authentication.symmetricKey.secondaryKey;
      assert.ok(secondary);
      const device = await connectDevice(test.hub, test.ca, 'device-00003', {
        password: sasToken({
          resource: `${test.hub.hostName}/devices/device-00003`,
          key: secondary,
        }),
      });
      await device.endAsync(true);
      const policy = sasToken({
        resource: test.hub.hostName,
        key: hubKeyOf(test.hub),
        policyName: 'iothubowner',
      });
      const viaPolicy = await connectDevice(test.hub, test.ca, 'device-00003', {
        password: policy,
      });
      assert.equal(viaPolicy.connected, true);
      await viaPolicy.endAsync(true);
    });
  });

  describe('twin operations from the device', () => {
    it('answers a twin GET with both sections and applies a reported patch with its new version', async () => {
      const device = await connect('device-00001');
      await device.subscribeAsync('$iothub/twin/res/#');
      const twinAnswer = nextMessage(device, '$iothub/twin/res/');
      await device.publishAsync('$iothub/twin/GET/?$rid=7', ' ');
      const got = await twinAnswer;
      assert.equal(got.topic, '$iothub/twin/res/200/?$rid=7');
      const document = JSON.parse(got.body) as { desired: object; reported: { $version: number } };
      assert.deepEqual(Object.keys(document), ['desired', 'reported']);
      const before = document.reported.$version;

      const ack = nextMessage(device, '$iothub/twin/res/');
      await device.publishAsync(
        '$iothub/twin/PATCH/properties/reported/?$rid=8',
        JSON.stringify({ locked: true }),
      );
      assert.equal((await ack).topic, `$iothub/twin/res/204/?$rid=8&$version=${before + 1}`);
      const twin = await test.registry.getTwin('device-00001');
      assert.equal(twin.responseBody.properties.reported.locked, true);
    });

    it('answers a reported patch with a bad property name 400, changing nothing', async () => {
      const device = await connect('device-00002');
      await device.subscribeAsync('$iothub/twin/res/#');
      const answer = nextMessage(device, '$iothub/twin/res/');
      await device.publishAsync('$iothub/twin/PATCH/properties/reported/?$rid=1', '{"a.b":1}');
      const { topic, body } = await answer;
      assert.equal(topic, '$iothub/twin/res/400/?$rid=1');
      assert.equal((JSON.parse(body) as { errorCode: number }).errorCode, 400004);
      const twin = await test.registry.getTwin('device-00002');
      assert.equal('a.b' in twin.responseBody.properties.reported, false);
    });
  });

  describe('two devices connected at once', () => {
    let first: MqttClient;
    let second: MqttClient;
    let firstInbox: string[];
    let secondInbox: string[];

    before(async () => {
      [first, second] = await Promise.all([connect('device-00001'), connect('device-00002')]);
      firstInbox = inbox(first);
      secondInbox = inbox(second);
      for (const device of [first, second]) {
        await device.subscribeAsync('$iothub/twin/PATCH/properties/desired/#');
        await answerMethods(device, (methodName) => ({ status: 200, payload: { methodName } }));
      }
    });

    it('each receives only its own methods and desired patches', async () => {
      const answer = await test.hub.model.registry.invokeMethod('device-00001', {
        methodName: 'lockDoor',
        payload: { door: 'front' },
      });
      assert.deepEqual(answer, { status: 200, payload: { methodName: 'lockDoor' } });
      await test.registry.updateTwin(
        'device-00002',
        { properties: { desired: { floor: 7 } } },
        '*',
      );
      await waitFor('the desired patch to reach device-00002', () =>
        secondInbox.some((line) => line.includes('"floor":7')) ? true : undefined,
      );
      assert.deepEqual(
        firstInbox.map((line) => line.split(' ')[0]),
        ['$iothub/methods/POST/lockDoor/?$rid=1'],
      );
      assert.equal(secondInbox.length, 1);
      assert.match(
        secondInbox[0] ?? '',
        /^\$iothub\/twin\/PATCH\/properties\/desired\/\?\$version=\d+ /,
      );
    });

    it("refuses a subscription to another device's topics or to everything", async () => {
      const refused = await second
        .subscribeAsync([
          'devices/device-00001/messages/devicebound/#',
          '#',
          '$iothub/#',
          'devices/device-00002/messages/devicebound/#',
        ])
        .then(
          () => undefined,
          (error: { packet?: { granted?: number[] } }) => error.packet?.granted,
        );
      // 0x80 is MQTT 3.1.1's refusal; the device's own C2D topic is granted.
      assert.deepEqual(refused, [128, 128, 128, 0]);
    });

    it("disconnects a device that publishes on another device's topic", async () => {
      const intruder = await connect('device-00003');
      const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
      intruder.publish('devices/device-00001/messages/events/', 'hello');
      await closed;
      assert.equal(
        firstInbox.some((line) => line.includes('hello')),
        false,
      );
    });
  });

  it('serves MQTT over WebSocket on the HTTPS port', async () => {
    const url = test.hub.mqttWebSocketEndpoint;
    assert.equal(url, `wss://127.0.0.1:${test.hub.port}/$iothub/websocket`);
    const device = await connect('device-00003', { url });
    await device.subscribeAsync('$iothub/twin/res/#');
    const answer = nextMessage(device, '$iothub/twin/res/');
    await device.publishAsync('$iothub/twin/GET/?$rid=ws', ' ');
    assert.equal((await answer).topic, '$iothub/twin/res/200/?$rid=ws');
  });

  it('lets a newer connection of a device replace the older one, which then hears nothing', async () => {
    const older = await connect('device-00002');
    const olderClosed = new Promise<void>((resolve) => older.once('close', () => resolve()));
    const newer = await connect('device-00002');
    await answerMethods(newer, () => ({ status: 200, payload: { from: 'newer' } }));
    await olderClosed;
    const answer = await test.hub.model.registry.invokeMethod('device-00002', {
      methodName: 'lockDoor',
    });
    assert.deepEqual(answer.payload, { from: 'newer' });
    assert.equal(test.hub.model.registry.getTwin('device-00002').connectionState, 'Connected');
  });

  it('drops the connection of a device deleted from the registry', async () => {
    test.hub.model.registry.createDevice('doomed-device', {});
    const device = await connect('doomed-device');
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    test.hub.model.registry.deleteDevice('doomed-device');
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still connected'), 5_000)),
    ]);
    assert.equal(outcome, 'closed');
    assert.equal(device.connected, false);
  });

  it('drops the connection of a device disabled in the registry, and refuses it again', async () => {
    const created = test.hub.model.registry.createDevice('disabled-device', {}) as { etag: string };
    const device = await connect('disabled-device');
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    test.hub.model.registry.updateDevice('disabled-device', { status: 'disabled' }, created.etag);
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still connected'), 5_000)),
    ]);
    assert.equal(outcome, 'closed');
    await assert.rejects(
      connect('disabled-device'),
      (error: { code?: number }) => error.code === 5,
      'not authorized',
    );
  });

  it('answers 404103 for a connected device that never subscribed to methods', async () => {
    await connect('device-00003');
    await assert.rejects(
      test.hub.model.registry.invokeMethod('device-00003', { methodName: 'lockDoor' }),
      (error: { code?: number }) => error.code === 404103,
    );
  });
});
