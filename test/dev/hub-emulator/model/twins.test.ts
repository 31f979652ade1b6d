import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../../../dev/hub-emulator/hubError';
import { HubModel } from '../../../../dev/hub-emulator/model/index';
import { waitFor } from './helpers';

function throwsHub(action: () => unknown, code: number): void {
  assert.throws(action, (error) => error instanceof HubError && error.code === code);
}

function withoutMetadata(section: Record<string, unknown>): Record<string, unknown> {
  const { $metadata: _metadata, $version: _version, ...rest } = section;
  return rest;
}

describe('DeviceRegistry twins', () => {
  it('merges tags and desired properties, deletes members set to null and bumps versions', () => {
    const model = new HubModel({ devices: 1, reportedEchoLatencyMs: 60_000 });
    const before = model.registry.getTwin('device-00001');
    const after = model.registry.patchTwin('device-00001', {
      tags: { building: '43', site: null, extra: { a: 1 } },
      properties: { desired: { floor: 3, telemetryInterval: null } },
    });
    assert.deepEqual(after.tags, {
      building: '43',
      floor: before.tags.floor,
      ring: before.tags.ring,
      extra: { a: 1 },
    });
    assert.deepEqual(withoutMetadata(after.properties.desired), { floor: 3 });
    assert.equal(
      after.properties.desired.$version,
      (before.properties.desired.$version as number) + 1,
    );
    assert.equal(after.version, before.version + 1);
    assert.notEqual(after.etag, before.etag);
    model.close();
  });

  it('merges nested objects member by member', () => {
    const model = new HubModel({ devices: 1, reportedEchoLatencyMs: 60_000 });
    model.registry.patchTwin('device-00001', {
      properties: { desired: { config: { a: 1, b: 2 } } },
    });
    const twin = model.registry.patchTwin('device-00001', {
      properties: { desired: { config: { b: null, c: 3 } } },
    });
    assert.deepEqual(twin.properties.desired.config, { a: 1, c: 3 });
    model.close();
  });

  it('accepts the etag quoted or bare, * and no If-Match; a stale etag gives 412001 and changes nothing', () => {
    const model = new HubModel({ devices: 1, reportedEchoLatencyMs: 60_000 });
    const { etag } = model.registry.getTwin('device-00001');
    const patched = model.registry.patchTwin('device-00001', { tags: { a: 1 } }, `"${etag}"`);
    model.registry.patchTwin('device-00001', { tags: { b: 2 } }, patched.etag);
    model.registry.patchTwin('device-00001', { tags: { c: 3 } }, '"*"');
    model.registry.patchTwin('device-00001', { tags: { d: 4 } });
    const current = model.registry.getTwin('device-00001');
    throwsHub(
      () => model.registry.patchTwin('device-00001', { tags: { e: 5 } }, `"${etag}"`),
      412001,
    );
    throwsHub(() => model.registry.replaceTwin('device-00001', { tags: {} }, etag), 412001);
    assert.deepEqual(model.registry.getTwin('device-00001'), current);
    model.close();
  });

  it('accepts empty tags and a reported section, ignoring the reported part', () => {
    const model = new HubModel({ devices: 1, reportedEchoLatencyMs: 60_000 });
    const before = model.registry.getTwin('device-00001');
    const after = model.registry.patchTwin('device-00001', {
      tags: {},
      properties: { desired: { floor: 2 }, reported: { hacked: true } },
    });
    assert.deepEqual(after.tags, before.tags);
    assert.deepEqual(after.properties.reported, before.properties.reported);
    assert.equal(after.properties.desired.floor, 2);
    model.close();
  });

  it('refuses keys with ., $, space or control characters with 400004', () => {
    const model = new HubModel({ devices: 1 });
    for (const key of ['a.b', '$x', 'a b', 'bell\u0007', '']) {
      throwsHub(() => model.registry.patchTwin('device-00001', { tags: { [key]: 1 } }), 400004);
      throwsHub(
        () =>
          model.registry.patchTwin('device-00001', {
            properties: { desired: { ok: { [key]: 1 } } },
          }),
        400004,
      );
    }
    throwsHub(() => model.registry.patchTwin('device-00001', { tags: [1] }), 400004);
    throwsHub(() => model.registry.patchTwin('device-00001', 'text'), 400004);
    model.close();
  });

  it('replaces tags and desired properties wholesale on PUT', () => {
    const model = new HubModel({ devices: 1, reportedEchoLatencyMs: 60_000 });
    const twin = model.registry.replaceTwin('device-00001', {
      tags: { only: 'this' },
      properties: { desired: { mode: 'eco', gone: null } },
    });
    assert.deepEqual(twin.tags, { only: 'this' });
    assert.deepEqual(withoutMetadata(twin.properties.desired), { mode: 'eco' });
    model.close();
  });

  it('echoes a desired patch into reported properties after the echo latency', async () => {
    const model = new HubModel({ devices: 1, reportedEchoLatencyMs: 20 });
    const patched = model.registry.patchTwin('device-00001', {
      properties: { desired: { floor: 3, building: '43' } },
    });
    assert.equal(patched.properties.reported.floor, undefined, 'not echoed at once');
    await waitFor(
      () => model.registry.getTwin('device-00001').properties.reported.floor === 3,
      'the echo',
    );
    const echoed = model.registry.getTwin('device-00001');
    assert.equal(echoed.properties.reported.building, '43');
    assert.equal(
      echoed.properties.reported.$version,
      (patched.properties.reported.$version as number) + 1,
    );
    assert.equal(echoed.version, patched.version + 1);
    model.close();
  });

  it('does not echo while the device is offline', async () => {
    const model = new HubModel({ devices: 2, reportedEchoLatencyMs: 0 });
    model.registry.setOnline('device-00001', false);
    model.registry.patchTwin('device-00001', { properties: { desired: { floor: 3 } } });
    model.registry.patchTwin('device-00002', { properties: { desired: { floor: 3 } } });
    await waitFor(
      () => model.registry.getTwin('device-00002').properties.reported.floor === 3,
      'the online echo',
    );
    assert.equal(model.registry.getTwin('device-00001').properties.reported.floor, undefined);
    model.close();
  });
});
