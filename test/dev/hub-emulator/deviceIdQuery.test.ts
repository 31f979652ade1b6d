import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Registry } from 'azure-iothub';
import { assertHubError } from './support/hubAssertions';
import { sdkFailure, startTestHub, type TestHub } from './support/startTestHub';

interface Twin {
  deviceId: string;
  tags: { ring?: string; floor?: number; building?: string };
}

interface QueryPages {
  pages: object[][];
  itemTypes: unknown[];
  tokens: (string | undefined)[];
}

/** Every page of a devices query through the SDK, passing the token explicitly. */
async function queryPages(registry: Registry, sql: string, pageSize: number): Promise<QueryPages> {
  const query = registry.createQuery(sql, pageSize);
  const result: QueryPages = { pages: [], itemTypes: [], tokens: [] };
  do {
    const page = await query.next(query.continuationToken);
    result.pages.push(page.result as object[]);
    result.itemTypes.push(page.message.headers['x-ms-item-type']);
    result.tokens.push(query.continuationToken);
  } while (query.hasMoreResults && result.pages.length < 1000);
  return result;
}

async function deviceIdsOf(registry: Registry, condition: string, pageSize = 100) {
  const { pages } = await queryPages(
    registry,
    `SELECT deviceId FROM devices WHERE ${condition}`,
    pageSize,
  );
  return pages.flat().map((item) => (item as { deviceId: string }).deviceId);
}

const deviceCount = 250;

describe('SELECT deviceId FROM devices through the azure-iothub SDK', () => {
  let hub: TestHub;
  let twins: Twin[];
  const idsWhere = (test: (twin: Twin) => boolean) =>
    twins.filter(test).map((twin) => twin.deviceId);

  before(async () => {
    hub = await startTestHub({ tier: 'S3', devices: deviceCount, seed: 5 });
    const all = await queryPages(hub.registry, 'SELECT * FROM devices', 1000);
    twins = all.pages.flat() as Twin[];
    assert.equal(twins.length, deviceCount);
  });
  after(() => hub.close());

  it('answers JSON items holding only the deviceId, paged with continuation tokens', async () => {
    const notCanary = idsWhere((twin) => twin.tags.ring !== 'canary');
    const result = await queryPages(
      hub.registry,
      "SELECT deviceId FROM devices WHERE tags.ring != 'canary'",
      100,
    );
    assert.deepEqual(
      result.pages.map((page) => page.length),
      [100, 100, notCanary.length - 200],
    );
    assert.deepEqual(result.itemTypes, ['JSON', 'JSON', 'JSON']);
    assert.equal(result.tokens.at(-1), undefined);
    assert.ok(result.tokens.slice(0, -1).every((token) => typeof token === 'string'));
    for (const item of result.pages.flat()) assert.deepEqual(Object.keys(item), ['deviceId']);
    assert.deepEqual(
      result.pages.flat().map((item) => (item as { deviceId: string }).deviceId),
      notCanary,
    );
  });

  it('answers every device exactly once without a WHERE clause, in pages of the size asked for', async () => {
    const result = await queryPages(hub.registry, 'SELECT deviceId FROM devices', 60);
    assert.deepEqual(
      result.pages.map((page) => page.length),
      [60, 60, 60, 60, 10],
    );
    const ids = result.pages.flat().map((item) => (item as { deviceId: string }).deviceId);
    assert.deepEqual(
      ids,
      idsWhere(() => true),
    );
  });

  it('ends with no continuation token when the matches fill the last page exactly', async () => {
    const result = await queryPages(hub.registry, 'SELECT deviceId FROM devices', 50);
    assert.equal(result.pages.length, 5);
    assert.equal(result.tokens.at(-1), undefined);
  });

  it('projects a comma list of top-level and dotted fields, aliases included', async () => {
    const sql =
      "SELECT deviceId, tags.ring, tags.floor AS level FROM devices WHERE tags.building = '43'";
    const { pages, itemTypes } = await queryPages(hub.registry, sql, 100);
    const expected = twins
      .filter((twin) => twin.tags.building === '43')
      .map((twin) => ({ deviceId: twin.deviceId, ring: twin.tags.ring, level: twin.tags.floor }));
    assert.ok(expected.length > 20);
    assert.deepEqual(pages.flat(), expected);
    assert.deepEqual(itemTypes, ['JSON']);
  });

  it('leaves out a projected field the twin does not have', async () => {
    const { pages } = await queryPages(
      hub.registry,
      "SELECT deviceId, tags.missing FROM devices WHERE deviceId = 'device-00001'",
      10,
    );
    assert.deepEqual(pages, [[{ deviceId: 'device-00001' }]]);
  });

  it('selects exactly the listed devices with deviceId IN [...], unknown ids ignored', async () => {
    const listed = ['device-00250', 'device-00003', 'device-00117', 'no-such-device'];
    const ids = await deviceIdsOf(hub.registry, `deviceId IN [${quoted(listed)}]`);
    assert.deepEqual(ids, ['device-00003', 'device-00117', 'device-00250']);
  });

  it('selects a group within a list: (tags.ring = ...) AND deviceId IN [...]', async () => {
    const listed = idsWhere((_twin) => true).filter((_id, index) => index % 3 === 0);
    const condition = `(tags.ring = 'early') AND deviceId IN [${quoted(listed)}]`;
    const expected = idsWhere(
      (twin) => twin.tags.ring === 'early' && listed.includes(twin.deviceId),
    );
    assert.ok(expected.length > 5);
    assert.deepEqual(await deviceIdsOf(hub.registry, condition, 7), expected);
  });

  it('excludes the earlier groups: (<targets>) AND NOT (<group> OR <group>)', async () => {
    const condition =
      "(tags.building IN ['43', '44']) AND NOT (tags.ring = 'canary' OR tags.ring = 'early')";
    const expected = idsWhere(
      (twin) =>
        ['43', '44'].includes(twin.tags.building ?? '') &&
        twin.tags.ring !== 'canary' &&
        twin.tags.ring !== 'early',
    );
    assert.ok(expected.length > 20);
    assert.deepEqual(await deviceIdsOf(hub.registry, condition, 30), expected);
  });

  it('takes a deviceId IN list as long as the 8,192-character query limit allows', async () => {
    const prefix = 'SELECT deviceId FROM devices WHERE deviceId IN [';
    const ids = idsWhere(() => true);
    const listed: string[] = [];
    while (prefix.length + quoted([...listed, 'device-99999']).length + 1 <= 8192) {
      listed.push(ids[listed.length % ids.length] ?? 'device-00001');
    }
    const condition = `deviceId IN [${quoted(listed)}]`;
    assert.ok(condition.length > 8100);
    assert.equal((await deviceIdsOf(hub.registry, condition)).length, deviceCount);
  });

  it('counts with COUNT() exactly the devices the projection answers', async () => {
    const condition = "tags.floor > 4 AND NOT (tags.ring = 'broad')";
    const query = hub.registry.createQuery(`SELECT COUNT() AS n FROM devices WHERE ${condition}`);
    const counted = await query.next(query.continuationToken);
    const ids = await deviceIdsOf(hub.registry, condition);
    assert.deepEqual(counted.result, [{ n: ids.length }]);
    assert.deepEqual(
      ids,
      idsWhere((twin) => (twin.tags.floor ?? 0) > 4 && twin.tags.ring !== 'broad'),
    );
  });

  it('refuses a projection over devices.jobs and two fields of one name with 400 400000', async () => {
    for (const sql of [
      'SELECT deviceId FROM devices.jobs',
      'SELECT tags.ring, properties.desired.ring FROM devices',
      'SELECT deviceId, FROM devices',
    ]) {
      const query = hub.registry.createQuery(sql);
      assertHubError(
        await sdkFailure(query.next(query.continuationToken)),
        400,
        400000,
        'GenericBadRequest',
      );
    }
  });

  it('refuses a continuation token of another query', async () => {
    const first = hub.registry.createQuery('SELECT * FROM devices', 10);
    await first.next(first.continuationToken);
    const other = hub.registry.createQuery('SELECT deviceId FROM devices', 10);
    const error = await sdkFailure(other.next(first.continuationToken));
    assertHubError(error, 400, 400000, 'GenericBadRequest');
  });
});

describe('SELECT deviceId pages against the query rate', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ tier: 'S1', devices: 30, limits: { queriesPerMinute: 3 } });
  });
  after(() => hub.close());

  it('counts each page as one query and throttles the page over the rate with 429 429001', async () => {
    const query = hub.registry.createQuery('SELECT deviceId FROM devices', 10);
    for (let page = 0; page < 3; page += 1) await query.next(query.continuationToken);
    assert.equal(query.hasMoreResults, false);
    const counts = await hub.admin.requestCounts();
    assert.equal(counts['devices.query'], 3);
    const next = hub.registry.createQuery('SELECT deviceId FROM devices', 10);
    const error = await sdkFailure(next.next(next.continuationToken));
    assertHubError(error, 429, 429001, 'ThrottlingException');
    assert.ok(Number(error.response?.headers['retry-after']) >= 1);
  });
});

function quoted(ids: readonly string[]): string {
  return ids.map((id) => `'${id}'`).join(',');
}
