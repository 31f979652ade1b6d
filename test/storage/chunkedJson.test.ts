import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromJsonProperties, toJsonProperties } from '../../src/storage/chunkedJson';

const maxPropertyBytes = 64 * 1024;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('chunkedJson', () => {
  it('keeps a small value in one property', () => {
    const properties = toJsonProperties('job', { a: 1 });
    assert.deepEqual(properties, { job: '{"a":1}', jobParts: 1 });
    assert.deepEqual(fromJsonProperties(properties, 'job'), { a: 1 });
  });

  it('splits a large value into properties that each fit the 64 KiB limit, and joins them back', () => {
    const value = { text: 'é'.repeat(100_000), emoji: '😀'.repeat(40_000) };
    const properties = toJsonProperties('payload', value);
    const parts = Object.entries(properties).filter(([name]) => name !== 'payloadParts');
    assert.ok(parts.length > 1);
    assert.equal(properties.payloadParts, parts.length);
    for (const [, part] of parts) assert.ok(String(part).length * 2 <= maxPropertyBytes);
    assert.deepEqual(fromJsonProperties(properties, 'payload'), value);
  });

  it('never cuts a surrogate pair in two', () => {
    const properties = toJsonProperties('p', 'a' + '😀'.repeat(50_000));
    for (const [name, part] of Object.entries(properties)) {
      if (name === 'pParts') continue;
      assert.doesNotMatch(String(part), loneSurrogate, `${name} holds a lone surrogate`);
    }
  });

  it('answers undefined for a value that was never written, and fails on a missing part', () => {
    assert.equal(fromJsonProperties({}, 'job'), undefined);
    assert.throws(() => fromJsonProperties({ job: '"a', jobParts: 2 }, 'job'), /missing part 1/);
  });

  it('stores undefined as null instead of losing the property', () => {
    assert.equal(fromJsonProperties(toJsonProperties('x', undefined), 'x'), null);
  });
});
