import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  maxDesiredBytes,
  maxTagsBytes,
  maxTwinDepth,
  maxTwinValueBytes,
  twinSectionProblems,
} from '../../src/core/validateTwinPatch';

/** `{ l1: { l2: ... { l<depth>: 'v' } } }` */
function nested(depth: number): Record<string, unknown> {
  let node: unknown = 'v';
  for (let level = depth; level >= 1; level -= 1) node = { [`l${level}`]: node };
  return node as Record<string, unknown>;
}

describe('twinSectionProblems', () => {
  it('accepts a section that keeps every rule', () => {
    assert.deepEqual(
      twinSectionProblems(
        { fw: '1.2', config: { interval: 30, list: [1, 2], off: null } },
        maxDesiredBytes,
      ),
      [],
    );
  });

  it(`allows ${maxTwinDepth} levels of keys and names the first key below them`, () => {
    assert.deepEqual(twinSectionProblems(nested(maxTwinDepth), maxDesiredBytes), []);
    const problems = twinSectionProblems(nested(maxTwinDepth + 1), maxDesiredBytes);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.path.length, maxTwinDepth + 1);
    assert.match(problems[0]?.message ?? '', /deeper than IoT Hub's 10 levels/);
  });

  it('checks keys at every level against the hub rule, dots and dollars included', () => {
    const problems = twinSectionProblems(
      { ok: { 'a.b': 1, deeper: { $meta: 2, 'sp ace': 3 } } },
      maxDesiredBytes,
    );
    assert.deepEqual(
      problems.map((p) => p.path.join('/')),
      ['ok/a.b', 'ok/deeper/$meta', 'ok/deeper/sp ace'],
    );
  });

  it('limits keys to 1 KB', () => {
    assert.deepEqual(twinSectionProblems({ ['k'.repeat(1024)]: 1 }, maxDesiredBytes), []);
    assert.match(
      twinSectionProblems({ ['k'.repeat(1025)]: 1 }, maxDesiredBytes)[0]?.message ?? '',
      /longer than 1024 bytes/,
    );
  });

  it('limits each value to 4 KB as JSON, arrays counted whole', () => {
    const fits = 'x'.repeat(maxTwinValueBytes - 2);
    assert.deepEqual(twinSectionProblems({ a: fits }, maxDesiredBytes), []);
    const tooBig = twinSectionProblems(
      { a: `${fits}x`, b: { c: Array.from({ length: 2100 }, () => 1) } },
      maxDesiredBytes,
    );
    assert.deepEqual(
      tooBig.map((p) => p.path.join('/')),
      ['a', 'b/c'],
    );
  });

  it('limits the whole section (tags 8 KB, desired 32 KB) measured in UTF-8 bytes', () => {
    // Five values of 1,000 two-byte characters: each 2,002 bytes, 10 KB together.
    const tags = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`k${i}`, 'é'.repeat(1000)]),
    );
    const problems = twinSectionProblems(tags, maxTagsBytes);
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0]?.path, []);
    assert.match(problems[0]?.message ?? '', /over IoT Hub's limit of 8192/);
    assert.deepEqual(twinSectionProblems(tags, maxDesiredBytes), []);
  });
});
