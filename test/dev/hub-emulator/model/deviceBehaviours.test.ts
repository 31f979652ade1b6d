import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../../../dev/hub-emulator/hubError';
import { HubModel, type MethodResult } from '../../../../dev/hub-emulator/model/index';
import { waitFor } from './helpers';

async function answerOf(promise: Promise<MethodResult>): Promise<string> {
  try {
    return `status ${(await promise).status}`;
  } catch (error) {
    assert.ok(error instanceof HubError);
    return `error ${error.code}`;
  }
}

const call = { methodName: 'reboot' };

describe('DeviceBehaviours', () => {
  it('keeps the seeded outcome unless the behaviour names how the device answers', async () => {
    const model = new HubModel({ devices: 2, permanentFailureShare: 1 });
    const invoke = () => answerOf(model.registry.invokeMethod('device-00001', call));
    model.behaviours.set({ deviceIds: ['device-00001'], behaviour: { latencyMs: 0 } });
    assert.equal(await invoke(), 'status 500');
    model.behaviours.set({ deviceIds: ['device-00001'], behaviour: { timeOut: true } });
    assert.equal(await invoke(), 'error 504101');
    model.behaviours.clear({ deviceIds: ['device-00001'] });
    assert.equal(await invoke(), 'status 500');
    model.close();
  });

  it('replaces a device behaviour as a whole when set again', async () => {
    const model = new HubModel({ devices: 1 });
    const selector = { deviceIds: ['device-00001'] };
    model.behaviours.set({ ...selector, behaviour: { offline: true, neverReport: true } });
    model.behaviours.set({ ...selector, behaviour: { fail: { status: 409 } } });
    assert.deepEqual(model.behaviours.list(), [
      { deviceId: 'device-00001', behaviour: { fail: { status: 409 } } },
    ]);
    assert.equal(await answerOf(model.registry.invokeMethod('device-00001', call)), 'status 409');
    model.close();
  });

  it('selects every device for the condition *, listed in registration order', () => {
    const model = new HubModel({ devices: 3 });
    assert.deepEqual(model.behaviours.set({ condition: '*', behaviour: { neverReport: true } }), {
      devices: 3,
    });
    assert.deepEqual(
      model.behaviours.list().map((entry) => entry.deviceId),
      ['device-00001', 'device-00002', 'device-00003'],
    );
    assert.deepEqual(model.behaviours.clear(undefined), { devices: 3 });
    assert.deepEqual(model.behaviours.list(), []);
    model.close();
  });

  it('loses the echo of a patch while the device never reports, and echoes again once cleared', async () => {
    const model = new HubModel({ devices: 2, reportedEchoLatencyMs: 0 });
    const silent = { deviceIds: ['device-00001'] };
    model.behaviours.set({ ...silent, behaviour: { neverReport: true } });
    model.registry.patchTwin('device-00001', { properties: { desired: { level: 1 } } });
    model.registry.patchTwin('device-00002', { properties: { desired: { level: 1 } } });
    const reported = (deviceId: string) =>
      model.registry.getTwin(deviceId).properties.reported['level'];
    // Echoes fall due in the order they were written.
    await waitFor(() => reported('device-00002') === 1, 'device-00002 to report');
    assert.equal(reported('device-00001'), undefined);

    model.behaviours.clear(silent);
    model.registry.patchTwin('device-00001', { properties: { desired: { level: 2 } } });
    await waitFor(() => reported('device-00001') === 2, 'device-00001 to report again');
    model.close();
  });

  it('switches devices on and off line by a condition, leaving their behaviour', async () => {
    const model = new HubModel({ devices: 3 });
    const two = "deviceId IN ['device-00002', 'device-00003']";
    model.behaviours.set({ condition: two, behaviour: { fail: {} } });
    assert.deepEqual(model.behaviours.setOnline({ condition: two }, false), { devices: 2 });
    assert.equal(await answerOf(model.registry.invokeMethod('device-00003', call)), 'error 404103');
    model.behaviours.setOnline({ deviceIds: ['device-00003'] }, true);
    assert.equal(await answerOf(model.registry.invokeMethod('device-00003', call)), 'status 500');
    assert.equal(model.registry.getDevice('device-00002').connectionState, 'Disconnected');
    model.close();
  });

  it('refuses a selection with both device ids and a condition, or neither', () => {
    const model = new HubModel({ devices: 1 });
    const behaviour = { timeOut: true };
    for (const selector of [{ deviceIds: ['device-00001'], condition: '*' }, {}]) {
      assert.throws(
        () => model.behaviours.set({ ...selector, behaviour }),
        (error) =>
          error instanceof HubError &&
          error.code === 400004 &&
          /give either deviceIds or condition/.test(error.message),
      );
    }
    assert.throws(() => model.behaviours.setOnline({}, false), /give either deviceIds/);
    assert.deepEqual(model.behaviours.list(), []);
    model.close();
  });
});
