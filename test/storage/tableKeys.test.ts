import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors';
import {
  checkContinuationToken,
  decodeKey,
  encodeBoundedKey,
  encodeKey,
  invertedTimeKey,
} from '../../src/storage/tableKeys';

describe('encodeKey', () => {
  it('leaves plain ids alone', () => {
    assert.equal(encodeKey('device-01_a.b'), 'device-01_a.b');
  });

  it('encodes every character a table key cannot hold, reversibly', () => {
    for (const id of [
      'a/b',
      'a\\b',
      'a#b',
      'a?b',
      "a'b",
      'a%b',
      'tab\there',
      'del\u007f',
      'ü',
      '(x)*!~',
    ]) {
      const key = encodeKey(id);
      assert.match(key, /^[A-Za-z0-9._%-]+$/);
      assert.equal(decodeKey(key), id);
    }
  });

  it('hashes values whose encoding would be too long for a key', () => {
    const key = encodeBoundedKey('k'.repeat(300));
    assert.match(key, /^sha256-[0-9a-f]{64}$/);
    assert.equal(encodeBoundedKey('k'.repeat(300)), key);
    assert.equal(encodeBoundedKey('short'), 'short');
  });
});

describe('invertedTimeKey', () => {
  it('sorts later instants first, as fixed-width strings', () => {
    const earlier = invertedTimeKey(Date.parse('2024-01-01T00:00:00Z'));
    const later = invertedTimeKey(Date.parse('2024-01-01T00:00:00.001Z'));
    assert.ok(later < earlier);
    assert.equal(earlier.length, later.length);
  });
});

describe('checkContinuationToken', () => {
  it('accepts a token the Tables SDK issued and passes absence through', () => {
    const token = Buffer.from(JSON.stringify({ nextPartitionKey: 'p', nextRowKey: 'r' })).toString(
      'base64',
    );
    assert.equal(checkContinuationToken(token), token);
    assert.equal(checkContinuationToken(undefined), undefined);
    assert.equal(checkContinuationToken(''), undefined);
  });

  it('refuses anything else with a ValidationError naming continuationToken', () => {
    const notJson = Buffer.from('nope').toString('base64');
    const wrongShape = Buffer.from('{"x":1}').toString('base64');
    for (const token of ['%%%', notJson, wrongShape]) {
      assert.throws(
        () => checkContinuationToken(token),
        (error: unknown) =>
          error instanceof ValidationError && error.errors[0]?.field === 'continuationToken',
      );
    }
  });
});
