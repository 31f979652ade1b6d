import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubModel, seededDeviceId } from '../../../../dev/hub-emulator/model/index';
import { seededTwin } from '../../../../dev/hub-emulator/model/fleet';

function fleetSnapshot(model: HubModel): unknown[] {
  return model.query('SELECT * FROM devices', { pageSize: 1000 }).items.map((item) => {
    const twin = item as {
      deviceId: string;
      tags: unknown;
      properties: { desired: Record<string, unknown>; reported: Record<string, unknown> };
    };
    return [
      twin.deviceId,
      twin.tags,
      twin.properties.desired.telemetryInterval,
      twin.properties.reported.firmwareVersion,
    ];
  });
}

describe('seeded fleet', () => {
  it('names devices device-00001 … with at least five digits', () => {
    assert.equal(seededDeviceId(0), 'device-00001');
    assert.equal(seededDeviceId(99_999), 'device-100000');
    const model = new HubModel({ devices: 3 });
    assert.deepEqual(
      model.registry.listDevices().map((device) => device.deviceId),
      ['device-00001', 'device-00002', 'device-00003'],
    );
    model.close();
  });

  it('gives the same tags and properties for the same seed', () => {
    const first = new HubModel({ devices: 200, seed: 7 });
    const second = new HubModel({ devices: 200, seed: 7 });
    assert.deepEqual(fleetSnapshot(first), fleetSnapshot(second));
    first.close();
    second.close();
  });

  it('gives a different fleet for a different seed', () => {
    const first = new HubModel({ devices: 200, seed: 7 });
    const second = new HubModel({ devices: 200, seed: 8 });
    assert.notDeepEqual(fleetSnapshot(first), fleetSnapshot(second));
    first.close();
    second.close();
  });

  it('spreads tags over buildings 43-46, floors 1-8 and rings of about 5 / 20 / 75 %', () => {
    const rings = { canary: 0, early: 0, broad: 0 } as Record<string, number>;
    const buildings = new Set<unknown>();
    const floors = new Set<unknown>();
    const total = 20_000;
    for (let index = 0; index < total; index++) {
      const { tags } = seededTwin(1, seededDeviceId(index));
      rings[tags.ring as string] = (rings[tags.ring as string] ?? 0) + 1;
      buildings.add(tags.building);
      floors.add(tags.floor);
      assert.equal(typeof tags.site, 'string');
    }
    assert.deepEqual([...buildings].sort(), ['43', '44', '45', '46']);
    assert.deepEqual([...floors].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(
      Math.abs(rings.canary! / total - 0.05) < 0.01,
      `canary share ${rings.canary! / total}`,
    );
    assert.ok(Math.abs(rings.early! / total - 0.2) < 0.02, `early share ${rings.early! / total}`);
    assert.equal(rings.canary! + rings.early! + rings.broad!, total);
  });

  it('derives the same symmetric keys for the same seed without storing them', () => {
    const first = new HubModel({ devices: 2, seed: 3 });
    const second = new HubModel({ devices: 2, seed: 3 });
    const keys = first.registry.getDevice('device-00002').authentication.symmetricKey;
    assert.deepEqual(second.registry.getDevice('device-00002').authentication.symmetricKey, keys);
    assert.match(keys.primaryKey ?? '', /^[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(keys.primaryKey, keys.secondaryKey);
    first.close();
    second.close();
  });
});

describe('seeded time zones', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
  const tagsOf = (model: HubModel) =>
    model.query('SELECT * FROM devices', { pageSize: 1000 }).items.map((item) => {
      const twin = item as { deviceId: string; tags: Record<string, unknown> };
      return [twin.deviceId, twin.tags] as const;
    });

  it('gives seeded devices tags.timeZone round-robin over the list, exactly as given', () => {
    const model = new HubModel({ devices: 7, seedTimeZones: zones });
    assert.deepEqual(
      tagsOf(model).map(([deviceId, tags]) => [deviceId, tags.timeZone]),
      [
        ['device-00001', 'Europe/Berlin'],
        ['device-00002', 'America/New_York'],
        ['device-00003', 'Asia/Kolkata'],
        ['device-00004', 'Europe/Berlin'],
        ['device-00005', 'America/New_York'],
        ['device-00006', 'Asia/Kolkata'],
        ['device-00007', 'Europe/Berlin'],
      ],
    );
    model.close();
  });

  it('changes no other tag or property of the fleet', () => {
    const zoned = new HubModel({ devices: 50, seed: 5, seedTimeZones: zones });
    const plain = new HubModel({ devices: 50, seed: 5 });
    const withoutZone = tagsOf(zoned).map(([deviceId, { timeZone: _zone, ...tags }]) => [
      deviceId,
      tags,
    ]);
    assert.deepEqual(withoutZone, tagsOf(plain));
    assert.ok(tagsOf(plain).every(([, tags]) => !('timeZone' in tags)));
    zoned.close();
    plain.close();
  });

  it('refuses an empty zone name', () => {
    assert.throws(
      () => new HubModel({ devices: 1, seedTimeZones: ['Europe/Berlin', ' '] }),
      /seedTimeZones must be non-empty strings/,
    );
  });
});
