import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDeviceResultsQuery, parseJobListQuery } from '../../src/http/queryParams';
import { ValidationError } from '../../src/core/errors';

function fieldsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.errors.map((e) => e.field);
  }
  assert.fail('the query was accepted');
}

describe('parseJobListQuery', () => {
  it('defaults the page size to 100 and ignores the function key `code`', () => {
    assert.deepEqual(parseJobListQuery(new URLSearchParams('code=secret')), { pageSize: 100 });
  });

  it('refuses a parameter the route does not take, naming it (not its value)', () => {
    for (const query of ['foo=1', 'pagesize=5', 'format=csv']) {
      assert.deepEqual(
        fieldsOf(() => parseJobListQuery(new URLSearchParams(query))),
        [query.split('=')[0]],
      );
    }
  });

  it('takes pageSize as a decimal integer only: no hex, blanks, exponent or leading zero', () => {
    for (const pageSize of ['0x10', ' 5 ', '1e2', '+5', '05', '5.0', '١٠']) {
      assert.deepEqual(
        fieldsOf(() => parseJobListQuery(new URLSearchParams({ pageSize }))),
        ['pageSize'],
        JSON.stringify(pageSize),
      );
      assert.deepEqual(
        fieldsOf(() => parseDeviceResultsQuery(new URLSearchParams({ pageSize }))),
        ['pageSize'],
        JSON.stringify(pageSize),
      );
    }
    assert.equal(parseJobListQuery(new URLSearchParams('pageSize=1')).pageSize, 1);
    assert.equal(parseJobListQuery(new URLSearchParams('pageSize=999')).pageSize, 999);
  });

  it('reads every filter, createdAfter normalised to UTC', () => {
    const query = parseJobListQuery(
      new URLSearchParams({
        status: 'running',
        type: 'scheduleUpdateTwin',
        createdAfter: '2026-05-01T02:00:00+02:00',
        pageSize: '1000',
        continuationToken: 'abc',
      }),
    );
    assert.deepEqual(query, {
      status: 'running',
      type: 'scheduleUpdateTwin',
      createdAfter: '2026-05-01T00:00:00.000Z',
      pageSize: 1000,
      continuationToken: 'abc',
    });
  });

  it('names each bad parameter', () => {
    assert.deepEqual(
      fieldsOf(() =>
        parseJobListQuery(
          new URLSearchParams('status=done&type=x&createdAfter=2026-02-30T00:00:00Z&pageSize=0'),
        ),
      ),
      ['status', 'type', 'createdAfter', 'pageSize'],
    );
    for (const pageSize of ['1001', 'ten', '2.5', '-1']) {
      assert.deepEqual(
        fieldsOf(() => parseJobListQuery(new URLSearchParams({ pageSize }))),
        ['pageSize'],
        pageSize,
      );
    }
  });

  it('treats blank parameters as absent and refuses a repeated one', () => {
    assert.deepEqual(parseJobListQuery(new URLSearchParams('status=&pageSize=')), {
      pageSize: 100,
    });
    assert.deepEqual(
      fieldsOf(() => parseJobListQuery(new URLSearchParams('status=running&status=failed'))),
      ['status'],
    );
  });
});

describe('parseDeviceResultsQuery', () => {
  it('defaults to JSON pages of 100', () => {
    assert.deepEqual(parseDeviceResultsQuery(new URLSearchParams()), {
      pageSize: 100,
      format: 'json',
    });
  });

  it('reads the status filter and the CSV format, and names bad values', () => {
    assert.deepEqual(
      parseDeviceResultsQuery(new URLSearchParams('status=failed&format=csv&pageSize=5')),
      { status: 'failed', format: 'csv', pageSize: 5 },
    );
    assert.deepEqual(
      fieldsOf(() => parseDeviceResultsQuery(new URLSearchParams('status=offline&format=xml'))),
      ['status', 'format'],
    );
    assert.deepEqual(
      fieldsOf(() => parseDeviceResultsQuery(new URLSearchParams('type=scheduleUpdateTwin'))),
      ['type'],
    );
  });
});
