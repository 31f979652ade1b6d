import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertHubError } from '../support/hubAssertions';
import { sdkFailure, startTestHub, type TestHub } from '../support/startTestHub';
import { waitFor } from '../support/waitFor';

describe('module identities and module twins through the azure-iothub Registry', () => {
  let hub: TestHub;

  before(async () => {
    hub = await startTestHub({ devices: 1 });
  });
  after(() => hub.close());

  it('creates, lists, updates by etag and deletes modules of a device', async () => {
    await hub.registry.create({ deviceId: 'gateway' });
    const created = (await hub.registry.addModule({ deviceId: 'gateway', moduleId: 'filter' }))
      .responseBody as {
      moduleId: string;
      etag: string;
      authentication: { symmetricKey: { primaryKey: string } };
    };
    assert.equal(created.moduleId, 'filter');
    assert.ok(
      created.authentication.symmetricKey.primaryKey.length > 0,
      'the hub generates module keys',
    );
    await hub.registry.addModule({
      deviceId: 'gateway',
      moduleId: 'sensor',
      managedBy: 'IotEdge',
    });
    const listed = (await hub.registry.getModulesOnDevice('gateway')).responseBody.map(
      (module) => module.moduleId,
    );
    assert.deepEqual(listed, ['filter', 'sensor']);

    const updated = (
      await hub.registry.updateModule({
        deviceId: 'gateway',
        moduleId: 'filter',
        etag: created.etag,
      })
    ).responseBody as { etag: string };
    assert.notEqual(updated.etag, created.etag);
    const stale = await sdkFailure(
      hub.registry.updateModule({
        deviceId: 'gateway',
        moduleId: 'filter',
        etag: created.etag,
      }),
    );
    assert.equal(stale.name, 'InvalidEtagError');
    assertHubError(stale, 412, 412001, 'PreconditionFailed');

    const duplicate = await sdkFailure(
      hub.registry.addModule({ deviceId: 'gateway', moduleId: 'filter' }),
    );
    assertHubError(duplicate, 409, 409301, 'ModuleAlreadyExistsOnDevice');
    await hub.registry.removeModule('gateway', 'sensor');
    assertHubError(
      await sdkFailure(hub.registry.getModule('gateway', 'sensor')),
      404,
      404010,
      'ModuleNotFound',
    );
  });

  it('keeps a module twin of its own, patched with an etag', async () => {
    await hub.registry.addModule({ deviceId: 'device-00001', moduleId: 'telemetry' });
    const twin = (await hub.registry.getModuleTwin('device-00001', 'telemetry')).responseBody;
    assert.equal((twin as unknown as { moduleId: string }).moduleId, 'telemetry');
    const patched = (
      await hub.registry.updateModuleTwin(
        'device-00001',
        'telemetry',
        { tags: { role: 'uplink' }, properties: { desired: { rate: 5 } } },
        twin.etag,
      )
    ).responseBody;
    assert.deepEqual(patched.tags, { role: 'uplink' });
    assert.equal(patched.properties.desired.rate, 5);
    const echoed = await waitFor('the module to report the desired rate', async () => {
      const current = (await hub.registry.getModuleTwin('device-00001', 'telemetry')).responseBody;
      return current.properties.reported.rate === 5 ? current : undefined;
    });
    assert.notEqual(echoed.etag, patched.etag);
    const deviceTwin = (await hub.registry.getTwin('device-00001')).responseBody;
    assert.equal(
      deviceTwin.properties.desired.rate,
      undefined,
      "the device's own twin is untouched",
    );
    const stale = await sdkFailure(
      hub.registry.updateModuleTwin('device-00001', 'telemetry', { tags: { x: 1 } }, patched.etag),
    );
    assertHubError(stale, 412, 412001, 'PreconditionFailed');
  });

  it('removes the modules of a deleted device', async () => {
    await hub.registry.create({ deviceId: 'short-lived' });
    await hub.registry.addModule({ deviceId: 'short-lived', moduleId: 'm' });
    await hub.registry.delete('short-lived');
    await hub.registry.create({ deviceId: 'short-lived' });
    assert.deepEqual((await hub.registry.getModulesOnDevice('short-lived')).responseBody, []);
  });
});

describe('automatic device configurations through the azure-iothub Registry', () => {
  let hub: TestHub;
  const configuration = {
    id: 'firmware-2-0',
    schemaVersion: '1.0',
    labels: { wave: 'one' },
    content: { deviceContent: { 'properties.desired.firmware': { version: '2.0' } } },
    targetCondition: "tags.ring = 'canary'",
    priority: 10,
    metrics: {
      queries: {
        updated: "SELECT deviceId FROM devices WHERE properties.reported.firmware.version = '2.0'",
      },
    },
  };

  before(async () => {
    hub = await startTestHub({ devices: 1 });
  });
  after(() => hub.close());

  it('stores, lists, updates by etag and deletes a configuration', async () => {
    const created = (await hub.registry.addConfiguration(configuration))
      .responseBody as typeof configuration & {
      etag: string;
      createdTimeUtc: string;
    };
    assert.equal(created.priority, 10);
    assert.deepEqual(created.content, configuration.content);
    assert.ok(created.etag);
    assert.deepEqual((await hub.registry.getConfiguration('firmware-2-0')).responseBody, created);
    const listed = (await hub.registry.getConfigurations()).responseBody as { id: string }[];
    assert.deepEqual(
      listed.map((item) => item.id),
      ['firmware-2-0'],
    );

    const updated = (
      await hub.registry.updateConfiguration({
        ...created,
        priority: 20,
        targetCondition: "tags.ring = 'early'",
      })
    ).responseBody as typeof created;
    assert.equal(updated.priority, 20);
    assert.equal(updated.targetCondition, "tags.ring = 'early'");
    assert.equal(updated.createdTimeUtc, created.createdTimeUtc);
    assert.notEqual(updated.etag, created.etag);
    const stale = await sdkFailure(hub.registry.updateConfiguration({ ...created, priority: 30 }));
    assertHubError(stale, 412, 412001, 'PreconditionFailed');
    const again = await sdkFailure(hub.registry.addConfiguration(configuration));
    assert.equal(again.response?.statusCode, 409);

    await hub.registry.removeConfiguration('firmware-2-0');
    const gone = await sdkFailure(hub.registry.getConfiguration('firmware-2-0'));
    assert.equal(gone.response?.statusCode, 404);
    assert.equal(gone.response?.headers['iothub-errorcode'], 'ConfigurationNotFound');
  });

  it('refuses an id with upper-case letters and a negative priority (400 ArgumentInvalid)', async () => {
    assertHubError(
      await sdkFailure(hub.registry.addConfiguration({ ...configuration, id: 'Firmware' })),
      400,
      400004,
      'ArgumentInvalid',
    );
    assertHubError(
      await sdkFailure(
        hub.registry.addConfiguration({ ...configuration, id: 'neg', priority: -1 }),
      ),
      400,
      400004,
      'ArgumentInvalid',
    );
  });
});
