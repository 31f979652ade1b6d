import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AzureHubDeviceQuery } from '../../src/hub/AzureHubDeviceQuery';
import { createHubClients } from '../../src/hub/createHubClients';
import {
  hubBudgetGate,
  type HubOperation,
  type HubRequestGate,
} from '../../src/hub/hubRequestGate';
import type { HubRetryOptions } from '../../src/hub/withHubRetry';
import { HubCallError } from '../../src/core/hubCallError';
import { WindowBudget } from '../../src/core/windowBudget';
import {
  startGatewayTestHub,
  testRetryOptions,
  type GatewayTestHub,
} from './support/gatewayTestHub';

const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
const seededCount = 130;
const unzoned = ['unzoned-1', 'unzoned-2'];

interface Twin {
  deviceId: string;
  tags?: { timeZone?: string; ring?: string };
}

function recordingGate(): { operations: HubOperation[]; gate: HubRequestGate } {
  const operations: HubOperation[] = [];
  return { operations, gate: (operation) => Promise.resolve(void operations.push(operation)) };
}

async function failureOf(call: Promise<unknown>): Promise<HubCallError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof HubCallError, String(error));
    return error;
  }
  throw new Error('expected the grouped count to fail');
}

/** The answer key: per zone (undefined = no tag), the twins the test selects, in value order. */
function expectedCounts(twins: Twin[], test: (twin: Twin) => boolean) {
  const counts = new Map<string | undefined, number>();
  for (const twin of twins.filter(test)) {
    const zone = twin.tags?.timeZone;
    counts.set(zone, (counts.get(zone) ?? 0) + 1);
  }
  // Sorted as entries: Array#sort puts undefined elements last without asking the comparator.
  const rank = (zone: string | undefined) => (zone === undefined ? '' : `~${zone}`);
  return [...counts.entries()]
    .sort(([left], [right]) => (rank(left) < rank(right) ? -1 : 1))
    .map(([value, count]) => ({ value, count }));
}

describe('AzureHubDeviceQuery.countByValue against the emulator', () => {
  let hub: GatewayTestHub;
  let connection: Parameters<typeof createHubClients>[0];
  let twins: Twin[];
  const deviceQuery = (retry: Partial<HubRetryOptions> = {}, gate?: HubRequestGate) =>
    new AzureHubDeviceQuery(createHubClients(connection), { ...testRetryOptions, ...retry }, gate);

  before(async () => {
    hub = await startGatewayTestHub({
      devices: seededCount,
      tier: 'S3',
      seed: 13,
      seedTimeZones: zones,
      limits: { queriesPerMinute: 0 },
    });
    connection = {
      connectionString: hub.emulator.connectionString,
      endpoint: hub.emulator.endpoint,
      ca: await readFile(hub.emulator.caFile),
    };
    for (const deviceId of unzoned) await hub.clients.registry.create({ deviceId });
    const query = hub.clients.registry.createQuery('SELECT * FROM devices', 1000);
    twins = (await query.next(query.continuationToken)).result as Twin[];
    assert.equal(twins.length, seededCount + unzoned.length);
  });
  beforeEach(async () => {
    await hub.admin.clearFaults();
    await hub.admin.resetRequestCounts();
  });
  after(() => hub.close());

  it('counts the devices per zone, the names exactly as the hub holds them, the untagged as undefined', async () => {
    const counts = await deviceQuery().countByValue('*', 'tags.timeZone');
    assert.deepEqual(counts, [
      { value: undefined, count: 2 },
      { value: 'America/New_York', count: 43 },
      { value: 'Asia/Kolkata', count: 43 },
      { value: 'Europe/Berlin', count: 44 },
    ]);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 1);
  });

  it('counts only the devices the condition selects', async () => {
    const condition = "tags.ring IN ['canary', 'early']";
    const counts = await deviceQuery().countByValue(condition, 'tags.timeZone');
    const expected = expectedCounts(twins, (twin) =>
      ['canary', 'early'].includes(twin.tags?.ring ?? ''),
    );
    assert.ok(expected.length === zones.length);
    assert.deepEqual(counts, expected);
  });

  it('follows every page, each one query drawn from the gate', async () => {
    const { operations, gate } = recordingGate();
    const counts = await deviceQuery({}, gate).countByValue('*', 'deviceId');
    assert.deepEqual(
      counts.map((entry) => entry.value),
      twins.map((twin) => twin.deviceId).sort(),
    );
    assert.ok(counts.every((entry) => entry.count === 1));
    assert.deepEqual(operations, ['countDevices', 'countDevices']);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 2);
  });

  it('sends nothing once the budget is spent, and says so as overBudget', async () => {
    const budget = new WindowBudget({
      limits: { jobsOperations: 100, queries: 1 },
      windowMs: 60_000,
    });
    const failure = await failureOf(
      deviceQuery({}, hubBudgetGate(budget)).countByValue('*', 'deviceId'),
    );
    assert.equal(failure.kind, 'overBudget');
    assert.equal((await hub.admin.requestCounts())['devices.query'], 1);
  });

  it('retries a 503 on a page and answers the whole count', async () => {
    await hub.admin.addFault({ route: 'devices.query', status: 503 });
    const { operations, gate } = recordingGate();
    const counts = await deviceQuery({ sleep: () => Promise.resolve() }, gate).countByValue(
      '*',
      'tags.timeZone',
    );
    assert.deepEqual(
      counts,
      expectedCounts(twins, () => true),
    );
    assert.deepEqual(operations, ['countDevices', 'countDevices']);
  });

  it('reports a condition the hub refuses as badRequest, without retrying', async () => {
    const failure = await failureOf(
      deviceQuery().countByValue("tags.ring LIKE 'c%'", 'tags.timeZone'),
    );
    assert.equal(failure.kind, 'badRequest');
    assert.equal(failure.details.status, 400);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 1);
  });

  it('refuses a path that is not a dotted path of identifiers before sending anything', async () => {
    const { operations, gate } = recordingGate();
    const paths = [
      '',
      'tags..timeZone',
      'tags.time-zone',
      'tags.x) OR (1 = 1',
      '1tags',
      'tags.timeZone ',
    ];
    for (const path of paths) {
      await assert.rejects(
        deviceQuery({}, gate).countByValue('*', path),
        (error: unknown) => error instanceof Error && /dotted property path/.test(error.message),
      );
    }
    assert.deepEqual(operations, []);
    assert.equal((await hub.admin.requestCounts())['devices.query'] ?? 0, 0);
  });

  it('refuses an empty condition before sending anything', async () => {
    const failure = await failureOf(deviceQuery().countByValue('  ', 'tags.timeZone'));
    assert.equal(failure.kind, 'badRequest');
    assert.equal((await hub.admin.requestCounts())['devices.query'] ?? 0, 0);
  });
});
