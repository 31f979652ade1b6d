import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertHubError } from '../support/hubAssertions';
import { sasFor } from '../support/rawHttps';
import { hubKeyOf, sdkFailure, startTestHub, type TestHub } from '../support/startTestHub';

const PRIMARY = 'A1'.repeat(20);
const SECONDARY = 'b2'.repeat(32);
const apiVersion = '?api-version=2021-04-12';

describe('the emulated identity registry through the azure-iothub Registry', () => {
  let hub: TestHub;
  let headers: Record<string, string>;

  before(async () => {
    hub = await startTestHub({ devices: 2 });
    headers = { authorization: sasFor(hubKeyOf(hub.hub)), 'content-type': 'application/json' };
  });
  after(() => hub.close());

  describe('updates', () => {
    it('answers update() (If-Match "*") 200 with the change and a new etag', async () => {
      const created = (await hub.registry.create({ deviceId: 'upd-1' })).responseBody;
      const updated = (await hub.registry.update({ deviceId: 'upd-1', status: 'disabled' }))
        .responseBody;
      assert.equal(updated.status, 'disabled');
      assert.notEqual(updated.etag, created.etag);
      assert.deepEqual(updated.authentication?.symmetricKey, created.authentication?.symmetricKey);
    });

    it('answers 412 PreconditionFailed to a stale If-Match and 200 to the current one', async () => {
      const created = (await hub.registry.create({ deviceId: 'upd-2' })).responseBody;
      const body = JSON.stringify({
        deviceId: 'upd-2',
        status: 'disabled',
        statusReason: 'maintenance',
      });
      const put = (etag: string) =>
        hub.raw(
          'PUT',
          `/devices/upd-2${apiVersion}`,
          { ...headers, 'if-match': `"${etag}"` },
          body,
        );
      const fresh = await put(created.etag ?? '');
      assert.equal(fresh.status, 200);
      assert.equal(JSON.parse(fresh.text).statusReason, 'maintenance');
      assertHubError(await put(created.etag ?? ''), 412, 412001, 'PreconditionFailed');
    });

    it('still answers a PUT without If-Match on an existing device 409 DeviceAlreadyExists', async () => {
      const failure = await sdkFailure(hub.registry.create({ deviceId: 'device-00001' }));
      assert.equal(failure.name, 'DeviceAlreadyExistsError');
      assertHubError(failure, 409, 409001, 'DeviceAlreadyExists');
    });
  });

  describe('bulk operations (POST /devices)', () => {
    it('creates, updates by etag and deletes many devices at once', async () => {
      const ids = ['bulk-1', 'bulk-2', 'bulk-3'];
      const added = await hub.registry.addDevices(ids.map((deviceId) => ({ deviceId })));
      assert.deepEqual(added.responseBody, { isSuccessful: true, errors: [], warnings: [] });
      const current = (await hub.registry.get('bulk-1')).responseBody;
      const updated = await hub.registry.updateDevices(
        [{ deviceId: 'bulk-1', status: 'disabled', etag: current.etag }],
        false,
      );
      assert.equal(updated.responseBody.isSuccessful, true);
      assert.equal((await hub.registry.get('bulk-1')).responseBody.status, 'disabled');
      await hub.registry.removeDevices(
        ids.map((deviceId) => ({ deviceId })),
        true,
      );
      assertHubError(await sdkFailure(hub.registry.get('bulk-2')), 404, 404001, 'DeviceNotFound');
    });

    it('answers 400 with the same result naming each device that failed, doing the rest', async () => {
      const failure = await sdkFailure(
        hub.registry.addDevices([{ deviceId: 'device-00001' }, { deviceId: 'bulk-new' }]),
      );
      assert.equal(failure.response?.statusCode, 400);
      assert.deepEqual(JSON.parse(failure.responseBody ?? ''), {
        isSuccessful: false,
        errors: [
          {
            deviceId: 'device-00001',
            errorCode: 'DeviceAlreadyExists',
            errorStatus: 'Device device-00001 already exists.',
            operation: 'create',
          },
        ],
        warnings: [],
      });
      assert.equal((await hub.registry.get('bulk-new')).responseBody.deviceId, 'bulk-new');
    });

    it('fails an updateIfMatchETag entry with a stale etag as PreconditionFailed', async () => {
      await hub.registry.create({ deviceId: 'bulk-stale' });
      const failure = await sdkFailure(
        hub.registry.updateDevices(
          [{ deviceId: 'bulk-stale', status: 'disabled', etag: 'c3RhbGU=' }],
          false,
        ),
      );
      const result = JSON.parse(failure.responseBody ?? '') as { errors: { errorCode: string }[] };
      assert.deepEqual(
        result.errors.map((error) => error.errorCode),
        ['PreconditionFailed'],
      );
      assert.equal((await hub.registry.get('bulk-stale')).responseBody.status, 'enabled');
    });

    it('refuses a device listed twice as a whole (400 DeviceDefinedMultipleTimes)', async () => {
      const body = JSON.stringify([
        { id: 'twice', importMode: 'create' },
        { id: 'twice', importMode: 'delete' },
      ]);
      assertHubError(
        await hub.raw('POST', `/devices${apiVersion}`, headers, body),
        400,
        400011,
        'DeviceDefinedMultipleTimes',
      );
      assertHubError(await sdkFailure(hub.registry.get('twice')), 404, 404001, 'DeviceNotFound');
    });
  });

  describe('authentication types', () => {
    it('echoes X.509 thumbprints (selfSigned) and the CA type', async () => {
      const selfSigned = (
        await hub.registry.create({
          deviceId: 'x509-self',
          authentication: {
            x509Thumbprint: { primaryThumbprint: PRIMARY, secondaryThumbprint: SECONDARY },
          },
        })
      ).responseBody;
      assert.equal((selfSigned.authentication as { type?: string }).type, 'selfSigned');
      assert.deepEqual(selfSigned.authentication?.x509Thumbprint, {
        primaryThumbprint: PRIMARY,
        secondaryThumbprint: SECONDARY,
      });
      assert.deepEqual(selfSigned.authentication?.symmetricKey, {
        primaryKey: null,
        secondaryKey: null,
      });
      // The SDK's Twin class keeps these fields of the JSON but does not declare them.
      const twin = (await hub.registry.getTwin('x509-self')).responseBody as unknown as {
        authenticationType: string;
        x509Thumbprint: unknown;
      };
      assert.equal(twin.authenticationType, 'selfSigned');
      assert.deepEqual(twin.x509Thumbprint, {
        primaryThumbprint: PRIMARY,
        secondaryThumbprint: SECONDARY,
      });
      const ca = (
        await hub.registry.create({
          deviceId: 'x509-ca',
          authentication: { type: 'certificateAuthority' },
        })
      ).responseBody;
      assert.equal((ca.authentication as { type?: string }).type, 'certificateAuthority');
    });

    it('refuses a thumbprint that is not 40 or 64 hex digits (400 ArgumentInvalid)', async () => {
      const failure = await sdkFailure(
        hub.registry.create({
          deviceId: 'x509-bad',
          authentication: { x509Thumbprint: { primaryThumbprint: 'not-hex' } },
        }),
      );
      assertHubError(failure, 400, 400004, 'ArgumentInvalid');
    });
  });

  describe('edge devices', () => {
    it('gives an edge device its scope and makes it the parent of a leaf device', async () => {
      const edge = (
        await hub.registry.create({ deviceId: 'edge-1', capabilities: { iotEdge: true } })
      ).responseBody as { deviceScope?: string; capabilities?: { iotEdge?: boolean } };
      assert.equal(edge.capabilities?.iotEdge, true);
      assert.match(edge.deviceScope ?? '', /^ms-azure-iot-edge:\/\/edge-1-\d+$/);
      const leaf = (
        await hub.registry.create({ deviceId: 'leaf-1', deviceScope: edge.deviceScope })
      ).responseBody as { deviceScope?: string; parentScopes?: string[] };
      assert.equal(leaf.deviceScope, edge.deviceScope);
      assert.deepEqual(leaf.parentScopes, [edge.deviceScope]);
      const child = (
        await hub.registry.create({
          deviceId: 'edge-2',
          capabilities: { iotEdge: true },
          parentScopes: [edge.deviceScope],
        })
      ).responseBody as { deviceScope?: string; parentScopes?: string[] };
      assert.notEqual(child.deviceScope, edge.deviceScope);
      assert.deepEqual(child.parentScopes, [edge.deviceScope]);
    });

    it('refuses a scope that belongs to no edge device (400 ArgumentInvalid)', async () => {
      const failure = await sdkFailure(
        hub.registry.create({
          deviceId: 'leaf-2',
          deviceScope: 'ms-azure-iot-edge://nobody-1',
        }),
      );
      assertHubError(failure, 400, 400004, 'ArgumentInvalid');
    });
  });
});
