import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../../../dev/hub-emulator/hubError';
import { HubModel } from '../../../../dev/hub-emulator/model/index';

function hubCode(error: unknown): number {
  assert.ok(error instanceof HubError, `expected a HubError, got ${String(error)}`);
  return error.code;
}

function throwsHub(action: () => unknown, code: number): void {
  assert.throws(action, (error) => hubCode(error) === code);
}

describe('DeviceRegistry devices', () => {
  it('creates a device with generated keys when the body carries empty ones', () => {
    const model = new HubModel({ devices: 0 });
    const device = model.registry.createDevice('dev-new', {
      deviceId: 'dev-new',
      authentication: { type: 'sas', symmetricKey: { primaryKey: '', secondaryKey: '' } },
    });
    assert.equal(device.deviceId, 'dev-new');
    assert.equal(device.status, 'enabled');
    assert.match(device.authentication.symmetricKey.primaryKey ?? '', /^[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(model.registry.getDevice('dev-new'), device);
    model.close();
  });

  it('keeps keys the caller supplies', () => {
    const model = new HubModel();
    const keys = { primaryKey: 'cHJpbWFyeQ==', secondaryKey: 'c2Vjb25kYXJ5' };
    const device = model.registry.createDevice('dev-keys', {
      authentication: { symmetricKey: keys },
    });
    assert.deepEqual(device.authentication.symmetricKey, keys);
    model.close();
  });

  it('answers 409001 for an existing id, 404001 for an unknown one, 400004 for a bad id', () => {
    const model = new HubModel({ devices: 1 });
    throwsHub(() => model.registry.createDevice('device-00001', {}), 409001);
    throwsHub(() => model.registry.getDevice('nope'), 404001);
    throwsHub(() => model.registry.getTwin('nope'), 404001);
    throwsHub(() => model.registry.createDevice('has space', {}), 400004);
    throwsHub(() => model.registry.createDevice('a', { deviceId: 'b' }), 400004);
    model.close();
  });

  it('deletes with * or the current etag, and answers 412001 for a stale one', () => {
    const model = new HubModel({ devices: 2 });
    throwsHub(() => model.registry.deleteDevice('device-00001', '"c3RhbGU="'), 412001);
    const { etag } = model.registry.getDevice('device-00001');
    model.registry.deleteDevice('device-00001', `"${etag}"`);
    model.registry.deleteDevice('device-00002', '"*"');
    throwsHub(() => model.registry.getDevice('device-00001'), 404001);
    throwsHub(() => model.registry.deleteDevice('device-00001'), 404001);
    assert.deepEqual(model.registry.listDevices(), []);
    model.close();
  });

  it('lists devices in registration order, at most `top`', () => {
    const model = new HubModel({ devices: 5 });
    model.registry.deleteDevice('device-00002');
    model.registry.createDevice('device-00002', {});
    assert.deepEqual(
      model.registry.listDevices(10).map((device) => device.deviceId),
      ['device-00001', 'device-00003', 'device-00004', 'device-00005', 'device-00002'],
    );
    assert.equal(model.registry.listDevices(2).length, 2);
    model.close();
  });

  it('shows an offline device as Disconnected and back as Connected', () => {
    const model = new HubModel({ devices: 1 });
    model.registry.setOnline('device-00001', false);
    assert.equal(model.registry.getTwin('device-00001').connectionState, 'Disconnected');
    assert.equal(model.registry.getDevice('device-00001').connectionState, 'Disconnected');
    model.registry.setOnline('device-00001', true);
    assert.equal(model.registry.getTwin('device-00001').connectionState, 'Connected');
    throwsHub(() => model.registry.setOnline('nope', false), 404001);
    model.close();
  });
});
