import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AzureHubDeviceQuery } from '../../src/hub/AzureHubDeviceQuery';
import { createHubClients, type HubClients } from '../../src/hub/createHubClients';
import {
  hubBudgetGate,
  type HubOperation,
  type HubRequestGate,
} from '../../src/hub/hubRequestGate';
import type { HubRetryOptions } from '../../src/hub/withHubRetry';
import { HubCallError } from '../../src/core/hubCallError';
import { WindowBudget } from '../../src/core/windowBudget';
import type { Page } from '../../src/core/page';
import {
  startGatewayTestHub,
  testRetryOptions,
  type GatewayTestHub,
} from './support/gatewayTestHub';

const deviceCount = 230;
const earlyOrBroad = "tags.ring IN ['early', 'broad']";

interface Twin {
  deviceId: string;
  tags: { ring?: string };
}

/** Records every wait instead of sleeping. */
function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: (ms) => Promise.resolve(void sleeps.push(ms)) };
}

/** A gate that lets everything through and remembers what it was asked for. */
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
  throw new Error('expected the device query to fail');
}

/** Every page of the condition's ids, resuming from each page's token. */
async function allPages(
  query: AzureHubDeviceQuery,
  condition: string,
  pageSize?: number,
): Promise<Page<string>[]> {
  const pages: Page<string>[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await query.queryDeviceIds(condition, {
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(continuationToken === undefined ? {} : { continuationToken }),
    });
    pages.push(page);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined && pages.length <= deviceCount);
  return pages;
}

describe('AzureHubDeviceQuery against the emulator', () => {
  let hub: GatewayTestHub;
  let connection: Parameters<typeof createHubClients>[0];
  let twins: Twin[];
  const idsWhere = (test: (twin: Twin) => boolean) =>
    twins.filter(test).map((twin) => twin.deviceId);
  const deviceQuery = (retry: Partial<HubRetryOptions> = {}, gate?: HubRequestGate) =>
    new AzureHubDeviceQuery(createHubClients(connection), { ...testRetryOptions, ...retry }, gate);

  before(async () => {
    hub = await startGatewayTestHub({
      devices: deviceCount,
      tier: 'S3',
      seed: 11,
      limits: { queriesPerMinute: 0 },
    });
    connection = {
      connectionString: hub.emulator.connectionString,
      endpoint: hub.emulator.endpoint,
      ca: await readFile(hub.emulator.caFile),
    };
    twins = await allTwins(hub.clients);
  });
  beforeEach(async () => {
    await hub.admin.clearFaults();
    await hub.admin.resetRequestCounts();
  });
  after(() => hub.close());

  it('counts the devices a condition selects, and every device for *', async () => {
    const query = deviceQuery();
    const expected = idsWhere((twin) => twin.tags.ring !== 'canary').length;
    assert.ok(expected > 100 && expected < deviceCount);
    assert.equal(await query.countDevices(earlyOrBroad), expected);
    assert.equal(await query.countDevices('*'), deviceCount);
    assert.equal(await query.countDevices("deviceId = 'no-such-device'"), 0);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 3);
  });

  it('answers every selected id exactly once across pages, the last page without a token', async () => {
    const pages = await allPages(deviceQuery(), earlyOrBroad, 40);
    const expected = idsWhere((twin) => twin.tags.ring !== 'canary');
    assert.deepEqual(
      pages.flatMap((page) => page.items),
      expected,
    );
    assert.equal(pages.length, Math.ceil(expected.length / 40));
    assert.ok(pages.slice(0, -1).every((page) => page.continuationToken !== undefined));
    assert.equal(pages.at(-1)?.continuationToken, undefined);
    assert.equal((await hub.admin.requestCounts())['devices.query'], pages.length);
  });

  it('pages 100 ids at a time by default', async () => {
    const pages = await allPages(deviceQuery(), '*');
    assert.deepEqual(
      pages.map((page) => page.items.length),
      [100, 100, 30],
    );
  });

  it('resumes from a stored continuation token in a fresh instance', async () => {
    const first = await deviceQuery().queryDeviceIds(earlyOrBroad, { pageSize: 50 });
    assert.ok(first.continuationToken !== undefined);
    const rest = await deviceQuery().queryDeviceIds(earlyOrBroad, {
      pageSize: 50,
      continuationToken: first.continuationToken,
    });
    const expected = idsWhere((twin) => twin.tags.ring !== 'canary');
    assert.deepEqual([...first.items, ...rest.items], expected.slice(0, 100));
  });

  it('draws one queries call from the gate before each page', async () => {
    const { operations, gate } = recordingGate();
    const query = deviceQuery({}, gate);
    const pages = await allPages(query, earlyOrBroad, 60);
    await query.countDevices(earlyOrBroad);
    assert.equal(pages.length, 4);
    assert.deepEqual(operations, [
      'queryDeviceIds',
      'queryDeviceIds',
      'queryDeviceIds',
      'queryDeviceIds',
      'countDevices',
    ]);
  });

  it('sends nothing once the budget is spent, and says so as overBudget', async () => {
    const budget = new WindowBudget({
      limits: { jobsOperations: 100, queries: 2 },
      windowMs: 60_000,
    });
    const query = deviceQuery({}, hubBudgetGate(budget));
    const first = await query.queryDeviceIds('*', { pageSize: 100 });
    const second = await query.queryDeviceIds('*', {
      pageSize: 100,
      continuationToken: first.continuationToken ?? 'missing',
    });
    const failure = await failureOf(
      query.queryDeviceIds('*', {
        pageSize: 100,
        continuationToken: second.continuationToken ?? 'missing',
      }),
    );
    assert.equal(failure.kind, 'overBudget');
    assert.equal((await hub.admin.requestCounts())['devices.query'], 2);
  });

  it('retries a 429 after its Retry-After, drawing from the gate again for the retry', async () => {
    const { sleeps, sleep } = recordingSleep();
    const { operations, gate } = recordingGate();
    await hub.admin.addFault({ route: 'devices.query', status: 429, retryAfterSeconds: 1 });
    const page = await deviceQuery({ sleep }, gate).queryDeviceIds(earlyOrBroad, {
      pageSize: 25,
    });
    assert.deepEqual(page.items, idsWhere((twin) => twin.tags.ring !== 'canary').slice(0, 25));
    assert.deepEqual(sleeps, [1000]);
    assert.deepEqual(operations, ['queryDeviceIds', 'queryDeviceIds']);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 2);
  });

  it('gives up at once on a 429 whose Retry-After is longer than it may wait', async () => {
    const { sleeps, sleep } = recordingSleep();
    await hub.admin.addFault({ route: 'devices.query', status: 429, retryAfterSeconds: 120 });
    const failure = await failureOf(deviceQuery({ sleep, maxDelayMs: 5000 }).countDevices('*'));
    assert.equal(failure.kind, 'throttled');
    assert.equal(failure.details.retryAfterMs, 120_000);
    assert.deepEqual(sleeps, []);
  });

  it('retries a 503 on the count and answers the count', async () => {
    const { sleep } = recordingSleep();
    await hub.admin.addFault({ route: 'devices.query', status: 503, count: 2 });
    assert.equal(await deviceQuery({ sleep }).countDevices('*'), deviceCount);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 3);
  });

  it('reports a condition the hub refuses as badRequest, without retrying', async () => {
    const failure = await failureOf(
      deviceQuery().queryDeviceIds("tags.ring LIKE 'c%'", { pageSize: 10 }),
    );
    assert.equal(failure.kind, 'badRequest');
    assert.equal(failure.details.status, 400);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 1);
  });

  it('refuses a page size outside 1..100 before sending anything', async () => {
    const { operations, gate } = recordingGate();
    for (const pageSize of [0, 101, 2.5]) {
      const failure = await failureOf(deviceQuery({}, gate).queryDeviceIds('*', { pageSize }));
      assert.equal(failure.kind, 'badRequest');
      assert.match(failure.message, /1 to 100/);
    }
    assert.deepEqual(operations, []);
    assert.equal((await hub.admin.requestCounts())['devices.query'] ?? 0, 0);
  });

  it('resolves a condition only the SELECT * wrapper leaves room for; counting it is refused unsent', async () => {
    const listed = idsWhere(() => true).slice(0, 3);
    const base = `deviceId IN [${listed.map((id) => `'${id}'`).join(',')}] AND deviceId != '`;
    // The longest condition a job takes: 8,192 less 'SELECT * FROM devices WHERE '.
    const longest = `${base}${'x'.repeat(8164 - base.length - 1)}'`;
    assert.equal(longest.length, 8164);
    const page = await deviceQuery().queryDeviceIds(longest, {});
    assert.deepEqual(page.items, listed);
    const failure = await failureOf(deviceQuery().countDevices(longest));
    assert.equal(failure.kind, 'badRequest');
    assert.match(failure.message, /too long to be counted/);
    assert.equal((await hub.admin.requestCounts())['devices.query'], 1);
  });

  it('turns an answer slower than the call timeout into a transient error', async () => {
    await hub.admin.addFault({ route: 'devices.query', delayMs: 1000 });
    const failure = await failureOf(
      deviceQuery({ callTimeoutMs: 100, retries: 0 }).queryDeviceIds('*', {}),
    );
    assert.equal(failure.kind, 'transient');
    assert.match(failure.message, /within 100 ms/);
  });
});

/** Every twin the hub holds, read with the plain SDK as the answer key. */
async function allTwins(clients: HubClients): Promise<Twin[]> {
  const query = clients.registry.createQuery('SELECT * FROM devices', 1000);
  const twins: Twin[] = [];
  do {
    const page = await query.next(query.continuationToken);
    twins.push(...(page.result as Twin[]));
  } while (query.hasMoreResults);
  return twins;
}
