import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  QuerySyntaxError,
  compileCondition,
  compileProjection,
  matches,
  parseCondition,
  parseQuery,
} from '../../../../dev/hub-emulator/query/index';
import { allDeviceIds, deviceJobs, fleet, idOf } from './fixtureFleet';

function devicesMatching(condition: string): string[] {
  const where = parseCondition(condition);
  return fleet.filter((row) => matches(where, row)).map(idOf);
}

const floorsDefined = ['d01', 'd02', 'd03', 'd04', 'd05', 'd08', 'd09', 'd10', 'Dev-11'];

/** [what it shows, condition, device ids that match]. */
const conditionCases: ReadonlyArray<readonly [string, string, string[]]> = [
  ['= on a tag', "tags.building = '43'", ['d01', 'd02', 'd03', 'd10', 'Dev-11']],
  [
    '!= skips rows of another type or without the tag',
    "tags.building != '43'",
    ['d04', 'd05', 'd08', 'd09', 'd12'],
  ],
  ['<> is the same as !=', "tags.building <> '43'", ['d04', 'd05', 'd08', 'd09', 'd12']],
  ['> on numbers, ignoring numeric strings', 'tags.floor > 2', ['d03', 'd08', 'd10', 'Dev-11']],
  ['>= on numbers', 'tags.floor >= 2', ['d02', 'd03', 'd08', 'd10', 'Dev-11']],
  ['< on numbers', 'tags.floor < 2', ['d01', 'd04', 'd09']],
  ['<= on numbers', 'tags.floor <= 1', ['d01', 'd04', 'd09']],
  ['a negative literal', 'tags.floor = -1', ['d09']],
  ['a decimal literal', 'tags.floor = 2.5', ['d10']],
  ['a literal on the left', '2 < tags.floor', ['d03', 'd08', 'd10', 'Dev-11']],
  ['a double-quoted string', 'tags.building = "45"', ['d08', 'd09']],
  ['ordinal string order', "properties.reported.fw > '1.0'", ['d03', 'd04', 'd08', 'Dev-11']],
  ['ordinal order puts upper case first', "deviceId < 'd03'", ['d01', 'd02', 'Dev-11']],
  ['a desired property', 'properties.desired.floor > 2', ['d03', 'd08', 'd10', 'Dev-11']],
  ['a reported property', "properties.reported.fw = '1.0'", ['d01', 'd02', 'd09']],
  ['a negative reported number', 'properties.reported.temp < 0', ['d06']],
  ['nested tag objects', "tags.location.room = 'A1'", ['d08']],
  ['nested desired objects', "properties.desired.config.mode = 'eco'", ['d08']],
  ['two paths', 'properties.desired.floor = tags.floor', floorsDefined],
  ['true', 'tags.maintenance = true', ['d09']],
  ['false', 'tags.maintenance = false', ['d10']],
  ['false in reported', 'properties.reported.online = false', ['d09']],
  ['null on a tag', 'tags.ring = null', ['d06']],
  ['null on a reported property', 'properties.reported.fw = null', ['d10']],
  ['no coercion from number to string', "tags.floor = '2'", ['d05']],
  ['no coercion from string to number', 'tags.floor = 2', ['d02']],
  ['no coercion for a numeric building', 'tags.building = 44', ['d06']],
  ['an object never equals a string', "tags.location = 'A1'", []],
  ['top-level status', "status = 'disabled'", ['d04']],
  ['top-level connectionState', "connectionState = 'Disconnected'", ['d02', 'd04', 'd07']],
  ['top-level version', 'version = 3', allDeviceIds],
  ['top-level etag', "etag = 'AAAAAAAAAAE='", allDeviceIds],
  ['AND', "tags.building = '43' AND properties.desired.floor > 2", ['d03', 'd10', 'Dev-11']],
  [
    'OR binds looser than AND',
    "tags.ring = 'canary' OR tags.building = '44' AND tags.floor = 1",
    ['d01', 'd04', 'd08'],
  ],
  [
    'parentheses override precedence',
    "(tags.ring = 'canary' OR tags.building = '44') AND tags.floor = 1",
    ['d01', 'd04'],
  ],
  [
    'NOT binds tighter than AND',
    "NOT tags.ring = 'broad' AND tags.building = '43'",
    ['d01', 'd02', 'd10'],
  ],
  [
    'NOT skips rows where the comparison is unknown',
    "NOT tags.building = '43'",
    ['d04', 'd05', 'd08', 'd09', 'd12'],
  ],
  [
    'NOT of a missing or mistyped floor stays unknown',
    'NOT (tags.floor = 2)',
    ['d01', 'd03', 'd04', 'd08', 'd09', 'd10', 'Dev-11'],
  ],
  ['unknown OR true is true', "tags.floor = 2 OR deviceId = 'd07'", ['d02', 'd07']],
  [
    'unknown AND false is false, so its NOT is true',
    "NOT (tags.floor = 2 AND deviceId = 'd07')",
    allDeviceIds.filter((id) => id !== 'd07'),
  ],
  [
    'unknown OR false stays unknown under NOT',
    "NOT (tags.floor = 2 OR deviceId = 'd07')",
    ['d01', 'd03', 'd04', 'd08', 'd09', 'd10', 'Dev-11'],
  ],
  ['IS_DEFINED', 'IS_DEFINED(tags.floor)', floorsDefined],
  ['NOT IS_DEFINED', 'NOT IS_DEFINED(tags.floor)', ['d06', 'd07', 'd12']],
  [
    'IS_DEFINED counts a null value as defined',
    'IS_DEFINED(tags.ring)',
    allDeviceIds.filter((id) => id !== 'd07' && id !== 'd12'),
  ],
  [
    'IS_DEFINED of a section',
    'IS_DEFINED(properties.reported)',
    allDeviceIds.filter((id) => id !== 'd12'),
  ],
  ['IS_DEFINED of a nested path', 'IS_DEFINED(tags.location.room)', ['d08']],
  ['IN', "deviceId IN ['d01', 'd03', 'nope']", ['d01', 'd03']],
  ['IN with one element', "deviceId IN ['d05']", ['d05']],
  ['IN on a tag', "tags.ring IN ['canary', 'early']", ['d01', 'd02', 'd05', 'd08', 'd10']],
  ['IN with mixed types', "tags.floor IN [1, '2']", ['d01', 'd04', 'd05']],
  [
    'NIN skips missing and mistyped values',
    "tags.ring NIN ['canary', 'early']",
    ['d03', 'd04', 'd09', 'Dev-11'],
  ],
  ['NIN on numbers', 'tags.floor NIN [1, 2]', ['d03', 'd08', 'd09', 'd10', 'Dev-11']],
  ['IN an empty list', 'deviceId IN []', []],
  ['NIN an empty list', 'deviceId NIN []', allDeviceIds],
  ['top-level names ignore case', "DeviceId IN ['d01', 'd03']", ['d01', 'd03']],
  ['top-level names ignore case (upper)', "DEVICEID = 'Dev-11'", ['Dev-11']],
  ['string values keep their case', "deviceid = 'dev-11'", []],
  ['TAGS ignores case at the top level', "TAGS.building = '45'", ['d08', 'd09']],
  ['nested names keep their case', "tags.Building = '43'", []],
  [
    'keywords ignore case',
    "tags.building = '43' and not tags.ring In ['broad'] oR deviceId = 'd12'",
    ['d01', 'd02', 'd10', 'd12'],
  ],
  ['whitespace and newlines', "\n  tags.building='45'\tAND\r\ntags.floor>0 ", ['d08']],
  ['* is every device', '*', allDeviceIds],
];

describe('parseCondition + matches over a fixture fleet', () => {
  for (const [what, condition, expected] of conditionCases) {
    it(`matches ${what}: ${condition.trim()}`, () => {
      assert.deepEqual(devicesMatching(condition), expected);
    });
  }
});

describe('compileCondition', () => {
  it('agrees with matches on every case of the table', () => {
    for (const [, condition] of conditionCases) {
      const where = parseCondition(condition);
      const predicate = compileCondition(where);
      assert.deepEqual(
        fleet.map((row) => predicate(row)),
        fleet.map((row) => matches(where, row)),
        condition,
      );
    }
  });

  it('accepts every row when there is no condition', () => {
    const predicate = compileCondition(undefined);
    assert.equal(fleet.every(predicate), true);
    assert.equal(matches(undefined, {}), true);
  });

  it('reads only own properties, never the prototype', () => {
    assert.equal(matches(parseCondition('IS_DEFINED(constructor)'), {}), false);
    assert.equal(matches(parseCondition('IS_DEFINED(tags.toString)'), { tags: {} }), false);
  });
});

describe('parseQuery', () => {
  it('parses SELECT * FROM devices with no WHERE', () => {
    assert.deepEqual(parseQuery('SELECT * FROM devices'), {
      select: { kind: 'star' },
      from: 'devices',
      where: undefined,
    });
  });

  it('parses COUNT() AS alias with a condition', () => {
    const query = parseQuery("select count() as n from Devices where tags.building = '43'");
    assert.deepEqual(query.select, { kind: 'count', alias: 'n' });
    assert.equal(query.from, 'devices');
    assert.equal(fleet.filter((row) => matches(query.where, row)).length, 5);
  });

  it('names the count column "count" when AS is left out', () => {
    assert.deepEqual(parseQuery('SELECT COUNT() FROM devices').select, {
      kind: 'count',
      alias: 'count',
    });
  });

  it('parses a projection of top-level and dotted fields, named by alias or last segment', () => {
    const query = parseQuery(
      "SELECT DeviceId, tags.ring, tags.location.room AS room FROM devices WHERE tags.building = '43'",
    );
    assert.deepEqual(query.select, {
      kind: 'fields',
      fields: [
        { path: { kind: 'path', segments: ['DeviceId'] }, name: 'DeviceId' },
        { path: { kind: 'path', segments: ['tags', 'ring'] }, name: 'ring' },
        { path: { kind: 'path', segments: ['tags', 'location', 'room'] }, name: 'room' },
      ],
    });
    assert.equal(fleet.filter((row) => matches(query.where, row)).length, 5);
  });

  it('projects each row to its selected values, leaving out the ones it lacks', () => {
    const query = parseQuery(
      'SELECT deviceId, tags.location.room AS room, tags.floor FROM devices',
    );
    assert.equal(query.select.kind, 'fields');
    if (query.select.kind !== 'fields') return;
    const project = compileProjection(query.select.fields);
    const rows = fleet.map(project);
    assert.deepEqual(
      rows.find((row) => row.deviceId === 'd08'),
      {
        deviceId: 'd08',
        room: 'A1',
        floor: 5,
      },
    );
    assert.deepEqual(
      rows.find((row) => row.deviceId === 'd07'),
      { deviceId: 'd07' },
    );
  });

  it('parses the same condition as parseCondition after WHERE', () => {
    const condition = "tags.ring IN ['canary'] OR NOT IS_DEFINED(tags.floor)";
    const query = parseQuery(`SELECT * FROM devices WHERE ${condition}`);
    assert.deepEqual(query.where, parseCondition(condition));
  });
});

/** [condition after WHERE, `jobId/deviceId` of the matching device jobs]. */
const deviceJobCases: ReadonlyArray<readonly [string, string[]]> = [
  ["devices.jobs.jobId = 'job-1'", ['job-1/d01', 'job-1/d02']],
  ["devices.jobs.jobId = 'job-1' AND devices.jobs.status = 'failed'", ['job-1/d02']],
  ["jobId = 'job-2'", ['job-2/d03', 'job-2/d01']],
  ["DEVICES.JOBS.JobType = 'scheduleUpdateTwin'", ['job-2/d03', 'job-2/d01']],
  ["devices.jobs.createdDateTimeUtc > '2026-03-15'", ['job-2/d03', 'job-2/d01']],
  ['devices.jobs.outcome.deviceMethodResponse.status = 200', ['job-1/d01']],
  ['IS_DEFINED(devices.jobs.error)', ['job-1/d02']],
];

describe('parseQuery FROM devices.jobs', () => {
  for (const [condition, expected] of deviceJobCases) {
    it(`reads device job fields: ${condition}`, () => {
      const query = parseQuery(`SELECT * FROM devices.jobs WHERE ${condition}`);
      assert.equal(query.from, 'devices.jobs');
      const found = deviceJobs.filter((row) => matches(query.where, row));
      assert.deepEqual(
        found.map((row) => `${(row as { jobId: string }).jobId}/${idOf(row)}`),
        expected,
      );
    });
  }
});

/** [input, column the message must name (when known), text the message must contain]. */
const unsupportedQueries: ReadonlyArray<readonly [string, number | undefined, string]> = [
  ['SELECT * FROM devices GROUP BY tags.building', 23, 'GROUP BY'],
  ['SELECT * FROM devices ORDER BY deviceId', 23, 'ORDER BY'],
  ['SELECT deviceId FROM devices.jobs', 8, 'deviceId'],
  ['SELECT deviceId, FROM devices', 18, 'FROM'],
  ['SELECT deviceId tags.ring FROM devices', 17, 'tags.ring'],
  ['SELECT tags.ring, properties.desired.ring FROM devices', undefined, 'named ring'],
  ['SELECT devices.deviceId FROM devices', 8, 'devices.deviceId'],
  ["SELECT 'x' FROM devices", 8, "'x'"],
  ['SELECT deviceId AS FROM devices', 20, 'alias'],
  ['SELECT TOP 5 * FROM devices', 8, 'TOP'],
  ['SELECT * FROM devices.modules', 15, 'devices.modules'],
  ['SELECT * FROM jobs', 15, 'jobs'],
  ['SELECT * FROM devices d', 23, 'found d'],
  ['SELECT COUNT() AS n FROM devices.jobs', 8, 'COUNT() FROM devices.jobs'],
  ['SELECT * FROM devices WHERE tags.a = 1 garbage', 40, 'garbage'],
  ["SELECT * FROM devices WHERE devices.jobs.jobId = 'x'", 29, 'devices.jobs.jobId'],
  ['SELECT * FROM devices WHERE', 28, 'end of query'],
  ['SELECT * devices', 10, 'devices'],
  ['UPDATE devices', 1, 'UPDATE'],
];

const unsupportedConditions: ReadonlyArray<readonly [string, number | undefined, string]> = [
  ["STARTS_WITH(deviceId, 'd0')", 1, 'STARTS_WITH'],
  ["deviceId = 'd01", 12, "'d01"],
  ['properties.desired.$version = 2', 19, '$version'],
  ["$twin.deviceId = 'x'", 1, '$twin'],
  ["deviceId = 'a' ; DROP", 16, ';'],
  ['tags.floor = 1e3', 15, 'e3'],
  ["deviceId IN ('a', 'b')", 13, '('],
  ["deviceId IN ['a', tags.x]", 19, 'tags.x'],
  ["deviceId IN ['a' 'b']", 18, "'b'"],
  ["deviceId LIKE 'd%'", 10, 'LIKE'],
  ["deviceId = 'd01' AND", 21, 'end of query'],
  ["(deviceId = 'd01'", 18, 'end of query'],
  ['tags.building', 14, 'comparison operator'],
  ["deviceId = 'it\\'s'", 15, 'escape'],
  ["deviceId == 'a'", 11, '='],
  ['', 1, 'end of query'],
  ['   ', undefined, 'end of query'],
  ["* AND deviceId = 'a'", 1, '*'],
  ["IS_DEFINED('x')", 12, "'x'"],
  ['tags.floor = - 1', 14, '-'],
  ['NOT', 4, 'end of query'],
  ['tags.a = 1 = 2', 12, '='],
  ["WHERE deviceId = 'a'", 1, 'WHERE'],
  ['COUNT() = 1', 1, 'COUNT'],
];

describe('QuerySyntaxError', () => {
  for (const [query, column, mention] of unsupportedQueries) {
    it(`rejects the query ${query} naming ${mention} at column ${column}`, () => {
      assertSyntaxError(() => parseQuery(query), mention, column);
    });
  }
  for (const [condition, column, mention] of unsupportedConditions) {
    it(`rejects the condition ${JSON.stringify(condition)} naming ${mention}`, () => {
      assertSyntaxError(() => parseCondition(condition), mention, column);
    });
  }

  it('accepts a query of exactly 8192 characters and rejects one longer', () => {
    const prefix = "SELECT * FROM devices WHERE deviceId = '";
    const query = (length: number) => `${prefix}${'a'.repeat(length - prefix.length - 1)}'`;
    assert.equal(parseQuery(query(8192)).from, 'devices');
    assertSyntaxError(() => parseQuery(query(8193)), 'query longer than 8192 characters');
  });

  it('counts the SELECT * FROM devices WHERE wrapper against a condition', () => {
    const budget = 8192 - 'SELECT * FROM devices WHERE '.length;
    const condition = (length: number) => `deviceId = '${'a'.repeat(length - 13)}'`;
    assert.notEqual(parseCondition(condition(budget)), undefined);
    assertSyntaxError(() => parseCondition(condition(budget + 1)), 'query longer than 8192');
  });

  it('carries the column of the offending token', () => {
    const error = captureError(() => parseCondition("deviceId = 'a' ORDER BY deviceId"));
    assert.equal(error.column, 16);
    assert.equal(error.name, 'QuerySyntaxError');
  });
});

function captureError(action: () => unknown): QuerySyntaxError {
  try {
    action();
  } catch (error) {
    assert.ok(
      error instanceof QuerySyntaxError,
      `expected a QuerySyntaxError, got ${String(error)}`,
    );
    return error;
  }
  assert.fail('expected a QuerySyntaxError, but parsing succeeded');
}

function assertSyntaxError(action: () => unknown, mention: string, column?: number): void {
  const error = captureError(action);
  assert.ok(error.message.includes(mention), `"${error.message}" should mention "${mention}"`);
  if (column !== undefined) {
    assert.equal(error.column, column);
    assert.ok(error.message.includes(`at column ${column}:`), error.message);
  }
}
