import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Registry } from 'azure-iothub';
import { innerError } from './support/rawHttps';
import { assertHubError } from './support/hubAssertions';
import { sdkFailure, startTestHub, type TestHub } from './support/startTestHub';

interface Twin {
  deviceId: string;
  tags?: { timeZone?: string; floor?: number; ring?: string };
}

interface Pages {
  pages: object[][];
  itemTypes: unknown[];
}

/** Every page of a query through the SDK, passing each page's token explicitly. */
async function queryPages(registry: Registry, sql: string, pageSize = 100): Promise<Pages> {
  const query = registry.createQuery(sql, pageSize);
  const result: Pages = { pages: [], itemTypes: [] };
  do {
    const page = await query.next(query.continuationToken);
    result.pages.push(page.result as object[]);
    result.itemTypes.push(page.message.headers['x-ms-item-type']);
  } while (query.hasMoreResults && result.pages.length < 100);
  return result;
}

async function rowsOf(registry: Registry, sql: string, pageSize = 100): Promise<object[]> {
  return (await queryPages(registry, sql, pageSize)).pages.flat();
}

/** The hub's message for a query it refuses, after checking it is a 400 GenericBadRequest. */
async function refusal(registry: Registry, sql: string): Promise<string> {
  const query = registry.createQuery(sql);
  const error = await sdkFailure(query.next(query.continuationToken));
  assertHubError(error, 400, 400000, 'GenericBadRequest');
  return innerError(error.responseBody ?? '').message;
}

const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
const byZone = 'SELECT tags.timeZone AS zone, COUNT() AS n FROM devices';

describe('GROUP BY over devices through the azure-iothub SDK', () => {
  let hub: TestHub;
  let twins: Twin[];
  const countWhere = (test: (twin: Twin) => boolean) => twins.filter(test).length;

  before(async () => {
    hub = await startTestHub({ tier: 'S3', devices: 31, seed: 3, seedTimeZones: zones });
    // Registered devices carry no tags: the group without a zone.
    await hub.registry.create({ deviceId: 'unzoned-1' });
    await hub.registry.create({ deviceId: 'unzoned-2' });
    twins = (await rowsOf(hub.registry, 'SELECT * FROM devices', 1000)) as Twin[];
  });
  after(() => hub.close());

  it('counts the devices per zone in value order, the zone names exactly as seeded', async () => {
    const { pages, itemTypes } = await queryPages(
      hub.registry,
      `${byZone} WHERE IS_DEFINED(tags.timeZone) GROUP BY tags.timeZone`,
    );
    assert.deepEqual(pages, [
      [
        { zone: 'America/New_York', n: 10 },
        { zone: 'Asia/Kolkata', n: 10 },
        { zone: 'Europe/Berlin', n: 11 },
      ],
    ]);
    assert.deepEqual(itemTypes, ['JSON']);
  });

  it('answers the devices without the property as one row lacking the grouped field, first', async () => {
    const rows = await rowsOf(hub.registry, `${byZone} GROUP BY tags.timeZone`);
    assert.deepEqual(rows[0], { n: 2 });
    assert.equal(rows.length, 4);
    const total = rows.reduce((sum, row) => sum + (row as { n: number }).n, 0);
    assert.equal(total, twins.length);
  });

  it('counts only the devices the WHERE condition selects', async () => {
    const rows = await rowsOf(
      hub.registry,
      `${byZone} WHERE tags.ring != 'canary' AND tags.floor > 2 GROUP BY tags.timeZone`,
    );
    const expected = zones
      .map((zone) => ({
        zone,
        n: countWhere(
          (twin) =>
            twin.tags?.timeZone === zone &&
            twin.tags.ring !== 'canary' &&
            (twin.tags.floor ?? 0) > 2,
        ),
      }))
      .filter((row) => row.n > 0)
      .sort((left, right) => (left.zone < right.zone ? -1 : 1));
    assert.ok(expected.length > 1);
    assert.deepEqual(rows, expected);
  });

  it("gives each zone the count of a COUNT() over tags.timeZone = '<zone>'", async () => {
    const rows = await rowsOf(hub.registry, `${byZone} GROUP BY tags.timeZone`);
    for (const row of rows as { zone?: string; n: number }[]) {
      const condition =
        row.zone === undefined ? 'NOT IS_DEFINED(tags.timeZone)' : `tags.timeZone = '${row.zone}'`;
      const counted = await rowsOf(
        hub.registry,
        `SELECT COUNT() AS n FROM devices WHERE ${condition}`,
      );
      assert.deepEqual(counted, [{ n: row.n }], condition);
    }
  });

  it('answers no rows when nothing matches', async () => {
    const rows = await rowsOf(
      hub.registry,
      `${byZone} WHERE tags.floor > 99 GROUP BY tags.timeZone`,
    );
    assert.deepEqual(rows, []);
  });

  it('pages the groups with continuation tokens, each page one query', async () => {
    await hub.admin.resetRequestCounts();
    const sql = 'SELECT COUNT() AS devices, tags.floor AS floor FROM devices GROUP BY tags.floor';
    const { pages } = await queryPages(hub.registry, sql, 3);
    const floors = [...new Set(twins.flatMap((twin) => twin.tags?.floor ?? []))].sort(
      (left, right) => left - right,
    );
    const expected = [
      { devices: 2 },
      ...floors.map((floor) => ({
        devices: countWhere((twin) => twin.tags?.floor === floor),
        floor,
      })),
    ];
    assert.ok(expected.length > 6, `${expected.length} groups`);
    assert.deepEqual(pages.flat(), expected);
    assert.ok(pages.length > 2);
    assert.ok(pages.slice(0, -1).every((page) => page.length === 3));
    assert.equal((await hub.admin.requestCounts())['devices.query'], pages.length);
  });

  it('matches the first segment of the grouped path without regard to case', async () => {
    const rows = await rowsOf(
      hub.registry,
      `SELECT Tags.timeZone AS zone, COUNT() AS n FROM devices WHERE IS_DEFINED(tags.timeZone) GROUP BY TAGS.timeZone`,
    );
    assert.equal(rows.length, 3);
  });

  const refused: ReadonlyArray<readonly [string, string, RegExp]> = [
    [
      'a projection without AS',
      'SELECT tags.timeZone, COUNT() AS n FROM devices GROUP BY tags.timeZone',
      /column 8: a grouped query needs AS on each projection, and tags.timeZone has none/,
    ],
    [
      'a count without AS',
      'SELECT tags.timeZone AS zone, COUNT() FROM devices GROUP BY tags.timeZone',
      /column 31: a grouped query needs AS on each projection, and COUNT\(\) has none/,
    ],
    [
      'a field other than the grouped one',
      'SELECT deviceId AS id, COUNT() AS n FROM devices GROUP BY tags.timeZone',
      /projects only its GROUP BY property \(tags.timeZone\) and COUNT\(\), not deviceId/,
    ],
    [
      'SELECT *',
      'SELECT * FROM devices GROUP BY tags.timeZone',
      /column 23: GROUP BY \(a grouped query selects the grouped property and COUNT\(\)/,
    ],
    [
      'grouping by a function',
      'SELECT COUNT() AS n FROM devices GROUP BY COUNT()',
      /column 43: COUNT \(GROUP BY takes one property path\)/,
    ],
    [
      'grouping by a literal',
      "SELECT COUNT() AS n FROM devices GROUP BY 'x'",
      /column 43: 'x' \(GROUP BY takes one property path\)/,
    ],
    [
      'grouping by two paths',
      'SELECT COUNT() AS n FROM devices GROUP BY tags.a, tags.b',
      /column 49: , \(GROUP BY takes one property path\)/,
    ],
    [
      'GROUP BY without a path',
      'SELECT COUNT() AS n FROM devices GROUP BY',
      /column 42: expected a property path after GROUP BY, found end of query/,
    ],
    [
      'COUNT() beside a field without GROUP BY',
      'SELECT tags.timeZone AS zone, COUNT() AS n FROM devices',
      /column 31: COUNT\(\) beside other projections needs GROUP BY/,
    ],
    [
      'GROUP BY over devices.jobs',
      'SELECT * FROM devices.jobs GROUP BY jobId',
      /column 28: GROUP BY/,
    ],
    [
      'a clause after GROUP BY',
      'SELECT COUNT() AS n FROM devices GROUP BY tags.a ORDER BY tags.a',
      /column 50: ORDER BY/,
    ],
  ];
  for (const [what, sql, message] of refused) {
    it(`refuses ${what} with 400 GenericBadRequest saying what is wrong`, async () => {
      assert.match(await refusal(hub.registry, sql), message);
    });
  }
});
