import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authenticateDevice,
  ConnectRefused,
  type ConnectCheck,
} from '../../../../dev/hub-emulator/mqtt/deviceAuth';
import { sasToken } from './support/mqttDevice';

const deviceKey = Buffer.from('device-key-of-door-1').toString('base64');
const hubKey = Buffer.from('the-hub-owner-key').toString('base64');
const nowMs = Date.UTC(2026, 11, 1);
const later = Math.floor(nowMs / 1000) + 600;

function check(
  overrides: Partial<Omit<ConnectCheck, 'password'>> & { password?: string },
): ConnectCheck {
  const { password, ...rest } = overrides;
  return {
    clientId: 'door-1',
    username: 'myhub.local/door-1/?api-version=2021-04-12',
    password: Buffer.from(
      password ??
        sasToken({
          resource: 'myhub.local/devices/door-1',
          key: deviceKey,
          expiresAtSeconds: later,
        }),
    ),
    hostName: 'myhub.local',
    policies: [{ name: 'iothubowner', key: hubKey }],
    credentials: (deviceId) =>
      deviceId === 'door-1'
        ? { deviceId, enabled: true, keys: { primaryKey: deviceKey, secondaryKey: hubKey } }
        : undefined,
    nowMs,
    ...rest,
  };
}

const refusedWith = (pattern: RegExp) => (error: unknown) =>
  error instanceof ConnectRefused && pattern.test(error.message);

describe('device sign-in over MQTT', () => {
  it('accepts a device token and answers the device id', () => {
    assert.equal(authenticateDevice(check({})), 'door-1');
  });

  it('accepts a policy token for the device as well as for the hub', () => {
    for (const resource of ['myhub.local/devices/door-1', 'myhub.local']) {
      const password = sasToken({
        resource,
        key: hubKey,
        policyName: 'iothubowner',
        expiresAtSeconds: later,
      });
      assert.equal(authenticateDevice(check({ password })), 'door-1');
    }
  });

  it('refuses a device key used for the whole hub', () => {
    const password = sasToken({ resource: 'myhub.local', key: deviceKey, expiresAtSeconds: later });
    assert.throws(() => authenticateDevice(check({ password })), refusedWith(/not valid/));
  });

  it('refuses a module client id, an unknown or disabled device and a username for another hub', () => {
    assert.throws(
      () => authenticateDevice(check({ clientId: 'door-1/camera' })),
      refusedWith(/client id must be a device id/),
    );
    assert.throws(
      () => authenticateDevice(check({ clientId: 'door-2', username: 'myhub.local/door-2/' })),
      refusedWith(/not registered/),
    );
    assert.throws(
      () =>
        authenticateDevice(check({ credentials: (deviceId) => ({ deviceId, enabled: false }) })),
      refusedWith(/disabled/),
    );
    assert.throws(
      () => authenticateDevice(check({ username: 'otherhub/door-1/?api-version=2021-04-12' })),
      refusedWith(/username/),
    );
  });

  it('refuses a password that is not a SAS token, never repeating it', () => {
    assert.throws(
      () => authenticateDevice(check({ password: 'hunter2' })),
      (error: unknown) => refusedWith(/SAS token/)(error) && !String(error).includes('hunter2'),
    );
  });
});
