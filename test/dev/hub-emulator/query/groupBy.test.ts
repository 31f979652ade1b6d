import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupRow, groupValues, parseQuery } from '../../../../dev/hub-emulator/query/index';

describe('parseQuery with GROUP BY', () => {
  it('reads the grouped path and the columns under their aliases, in the order written', () => {
    const query = parseQuery(
      "SELECT COUNT() AS n, tags.timeZone AS zone FROM devices WHERE tags.ring = 'x' GROUP BY tags.timeZone",
    );
    assert.deepEqual(query.select, {
      kind: 'grouped',
      groupBy: { kind: 'path', segments: ['tags', 'timeZone'] },
      columns: [
        { kind: 'count', name: 'n' },
        { kind: 'key', name: 'zone' },
      ],
    });
    assert.notEqual(query.where, undefined);
  });

  it('takes a grouped query without WHERE, and one projecting only COUNT()', () => {
    const query = parseQuery('SELECT COUNT() AS n FROM devices GROUP BY tags.site');
    assert.equal(query.where, undefined);
    assert.deepEqual(query.select, {
      kind: 'grouped',
      groupBy: { kind: 'path', segments: ['tags', 'site'] },
      columns: [{ kind: 'count', name: 'n' }],
    });
  });
});

describe('groupValues', () => {
  it('orders groups by type (missing, null, booleans, numbers, strings, the rest), then value', () => {
    const values = [
      'b',
      2,
      undefined,
      { a: 1 },
      'a',
      true,
      null,
      10,
      false,
      'b',
      undefined,
      { a: 1 },
    ];
    assert.deepEqual(groupValues(values), [
      { value: undefined, count: 2 },
      { value: null, count: 1 },
      { value: false, count: 1 },
      { value: true, count: 1 },
      { value: 2, count: 1 },
      { value: 10, count: 1 },
      { value: 'a', count: 1 },
      { value: 'b', count: 2 },
      { value: { a: 1 }, count: 2 },
    ]);
  });

  it('leaves the grouped column out of the missing value row', () => {
    const columns = [
      { kind: 'key', name: 'zone' },
      { kind: 'count', name: 'n' },
    ] as const;
    assert.deepEqual(groupRow({ value: undefined, count: 3 }, columns), { n: 3 });
    assert.deepEqual(groupRow({ value: null, count: 1 }, columns), { zone: null, n: 1 });
  });
});
