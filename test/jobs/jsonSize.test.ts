import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonByteLength, pathBeyondDepth } from '../../src/core/jsonSize';

describe('jsonByteLength', () => {
  it('counts UTF-8 bytes of the serialised value, undefined as null', () => {
    assert.equal(jsonByteLength('é'), 4);
    assert.equal(jsonByteLength({ a: [1, 2] }), '{"a":[1,2]}'.length);
    assert.equal(jsonByteLength(undefined), 4);
  });
});

describe('pathBeyondDepth', () => {
  it('finds nothing in values within the limit', () => {
    assert.equal(pathBeyondDepth({ a: [{ b: 1 }] }, 3), undefined);
    assert.equal(pathBeyondDepth('scalar', 0), undefined);
  });

  it('names the path to the first container past the limit', () => {
    assert.deepEqual(pathBeyondDepth({ a: [{ b: {} }] }, 3), ['a', 0, 'b']);
  });
});
