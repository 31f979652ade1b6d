import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedAccessSignature } from 'azure-iothub';
import { HubError } from '../../../../dev/hub-emulator/hubError';
import {
  authorizeRequest,
  createSharedAccessSignature,
  deriveHubKey,
  parseSharedAccessSignature,
  type AuthorizationRules,
} from '../../../../dev/hub-emulator/http/auth';

const key = deriveHubKey(7);
const rules: AuthorizationRules = { policies: [{ name: 'iothubowner', key }], acceptBearer: true };
const inAnHour = () => Math.ceil(Date.now() / 1000) + 3600;

function sas(overrides: Partial<Parameters<typeof createSharedAccessSignature>[0]> = {}) {
  return createSharedAccessSignature({
    resource: 'localhost',
    policyName: 'iothubowner',
    key,
    expiresAtSeconds: inAnHour(),
    ...overrides,
  });
}

function rejection(authorization: string | undefined, host = 'localhost', custom = rules) {
  try {
    authorizeRequest(authorization, host, custom);
  } catch (error) {
    assert.ok(error instanceof HubError);
    return error;
  }
  assert.fail('expected the request to be refused');
}

describe('deriveHubKey', () => {
  it('gives the same 32-byte key for the same seed and another for another seed', () => {
    assert.equal(deriveHubKey(7), key);
    assert.notEqual(deriveHubKey(8), key);
    assert.equal(Buffer.from(key, 'base64').length, 32);
  });
});

describe('authorizeRequest', () => {
  it('accepts the SAS the azure-iothub SDK builds (raw sr, sr/sig/skn/se order)', () => {
    const sdkToken = SharedAccessSignature.create('localhost', 'iothubowner', key, inAnHour());
    assert.doesNotThrow(() => authorizeRequest(sdkToken.toString(), 'localhost', rules));
  });

  it('accepts a signature over the URL-encoded sr, with the fields in any order', () => {
    const host = 'localhost:18443';
    const token = sas({ resource: host });
    const fields = parseSharedAccessSignature(token);
    assert.ok(fields);
    const reordered = `SharedAccessSignature se=${fields.get('se')}&skn=iothubowner&sig=${fields.get('sig')}&sr=${fields.get('sr')}`;
    assert.doesNotThrow(() => authorizeRequest(reordered, host, rules));
  });

  it('matches sr against the Host header case-insensitively', () => {
    assert.doesNotThrow(() => authorizeRequest(sas({ resource: 'LocalHost' }), 'localhost', rules));
  });

  it('refuses an sr for another host with 401 IotHubUnauthorizedAccess', () => {
    const error = rejection(sas({ resource: 'other.azure-devices.net' }));
    assert.equal(error.status, 401);
    assert.equal(error.code, 401002);
    assert.equal(error.codeName, 'IotHubUnauthorizedAccess');
  });

  it('refuses a token signed with another key', () => {
    const error = rejection(sas({ key: deriveHubKey(99) }));
    assert.match(error.message, /invalid/);
  });

  it('refuses an expired token', () => {
    const error = rejection(sas({ expiresAtSeconds: Math.floor(Date.now() / 1000) - 1 }));
    assert.match(error.message, /expired/);
  });

  it('refuses an unknown policy name', () => {
    assert.match(rejection(sas({ policyName: 'service' })).message, /policy/);
  });

  it('refuses a missing or malformed header', () => {
    assert.equal(rejection(undefined).status, 401);
    assert.equal(rejection('SharedAccessSignature sr=localhost').status, 401);
    assert.equal(rejection('Basic abc').status, 401);
  });

  it('accepts any bearer token unless bearer tokens are switched off', () => {
    assert.doesNotThrow(() => authorizeRequest('Bearer FAKE.JWT.TOKEN', 'localhost', rules));
    const error = rejection('Bearer FAKE.JWT.TOKEN', 'localhost', {
      ...rules,
      acceptBearer: false,
    });
    assert.equal(error.status, 401);
  });

  it('never repeats the token or the key in its messages', () => {
    const token = sas({ key: deriveHubKey(99) });
    const signature = parseSharedAccessSignature(token)?.get('sig') ?? 'missing';
    for (const error of [
      rejection(token),
      rejection(sas({ resource: 'x' })),
      rejection('Bearer'),
    ]) {
      assert.ok(!error.message.includes(signature));
      assert.ok(!error.message.includes(key));
      assert.ok(!error.message.includes('sig='));
    }
  });
});
