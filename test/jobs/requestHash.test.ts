import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, hashRequest } from '../../src/core/requestHash';

describe('hashRequest', () => {
  it('gives the same hash whatever the order of object keys', () => {
    const a = { type: 'x', nested: { b: 1, a: [1, { d: 2, c: 3 }] } };
    const b = { nested: { a: [1, { c: 3, d: 2 }], b: 1 }, type: 'x' };
    assert.equal(hashRequest(a), hashRequest(b));
  });

  it('ignores members that are undefined', () => {
    assert.equal(hashRequest({ a: 1, b: undefined }), hashRequest({ a: 1 }));
  });

  it('tells different values and array orders apart', () => {
    assert.notEqual(hashRequest({ a: [1, 2] }), hashRequest({ a: [2, 1] }));
    assert.notEqual(hashRequest({ a: '1' }), hashRequest({ a: 1 }));
  });

  it('serialises canonically', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: null, c: true } }),
      '{"a":{"c":true,"d":null},"b":1}',
    );
  });
});
