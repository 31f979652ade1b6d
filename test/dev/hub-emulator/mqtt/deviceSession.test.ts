import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { hubErrors } from '../../../../dev/hub-emulator/hubError';
import { HubModel } from '../../../../dev/hub-emulator/model';
import { DeviceSession } from '../../../../dev/hub-emulator/mqtt/deviceSession';

const models: HubModel[] = [];
after(() => models.forEach((model) => model.close()));

function sessionWith(subscriptions: string[]) {
  const sent: { topic: string; payload: string }[] = [];
  const model = new HubModel({ devices: 1 });
  models.push(model);
  const session = new DeviceSession(
    'device-00001',
    {
      isSubscribed: (filter) => subscriptions.includes(filter),
      send: (topic, payload) => sent.push({ topic, payload }),
      close: () => undefined,
    },
    model.registry.deviceSide,
  );
  return { session, sent, model };
}

const call = { methodName: 'lockDoor', payload: { door: 1 }, responseTimeoutMs: 20 };

describe('a device session', () => {
  it('answers 504 when the device does not answer within the response timeout', async () => {
    const { session, sent } = sessionWith(['$iothub/methods/POST/#']);
    await assert.rejects(session.invokeMethod(call), (error: { code?: number }) => {
      return error.code === 504101;
    });
    assert.deepEqual(sent, [
      { topic: '$iothub/methods/POST/lockDoor/?$rid=1', payload: '{"door":1}' },
    ]);
  });

  it('ignores an answer for an unknown request id and resolves on the right one', async () => {
    const { session } = sessionWith(['$iothub/methods/POST/#']);
    const pending = session.invokeMethod({ ...call, responseTimeoutMs: 5_000 });
    assert.equal(session.receive('$iothub/methods/res/500/?$rid=99', Buffer.from('{}')), true);
    session.receive('$iothub/methods/res/200/?$rid=1', Buffer.from('{"locked":true}'));
    assert.deepEqual(await pending, { status: 200, payload: { locked: true } });
  });

  it('answers 404103 without sending when the device never subscribed to methods', async () => {
    const { session, sent } = sessionWith([]);
    await assert.rejects(session.invokeMethod(call), (error: { code?: number }) => {
      return error.code === 404103;
    });
    assert.deepEqual(sent, []);
  });

  it('fails calls in flight with 504 when the connection ends, and new ones with 404103', async () => {
    const { session } = sessionWith(['$iothub/methods/POST/#']);
    const inFlight = session.invokeMethod({ ...call, responseTimeoutMs: 5_000 });
    session.close();
    await assert.rejects(inFlight, (error: { code?: number }) => error.code === 504101);
    await assert.rejects(session.invokeMethod(call), (error: { code?: number }) => {
      return error.code === 404103;
    });
  });

  it('fails calls in flight with the reason given when the hub itself shuts down', async () => {
    const { session } = sessionWith(['$iothub/methods/POST/#']);
    const inFlight = session.invokeMethod({ ...call, responseTimeoutMs: 5_000 });
    session.close(hubErrors.serviceUnavailable('The hub emulator is shutting down.'));
    await assert.rejects(inFlight, (error: { code?: number }) => error.code === 503001);
  });

  it('refuses topics a device may not publish on', () => {
    const { session } = sessionWith([]);
    assert.equal(session.receive('$iothub/methods/POST/x/?$rid=1', Buffer.from('')), false);
    assert.equal(session.receive('devices/device-00002/messages/events/', Buffer.from('')), false);
    assert.equal(session.receive('$iothub/twin/GET/', Buffer.from(' ')), false);
    assert.equal(
      session.receive('devices/device-00001/messages/events/a=1', Buffer.from('')),
      true,
    );
  });
});
