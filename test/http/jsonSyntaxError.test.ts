import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateJsonSyntaxError } from '../../src/http/jsonSyntaxError';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('locateJsonSyntaxError', () => {
  it('finds nothing wrong in valid JSON', () => {
    const valid = [
      '{}',
      '[]',
      ' 1 ',
      '-0.5e+3',
      '"a\\u00e9\\n\\"b"',
      'null',
      '{"a":[true,false,null,{"b":[]}]}',
      '\t[\r\n1 , 2 ]\n',
    ];
    for (const text of valid) assert.equal(locateJsonSyntaxError(text), undefined, text);
  });

  it('points at the first offending character', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{"a":}', 5, /expected a value/],
      ['{"a" 1}', 5, /expected ':'/],
      ['{"a":1,}', 7, /property name in double quotes/],
      ['[1 2]', 3, /expected ',' or ']'/],
      ['{"a":1', 6, /ends too early/],
      ['{"a":1}x', 7, /after the JSON value/],
      ["{'a':1}", 1, /property name in double quotes/],
      ['"abc', 4, /not closed/],
      ['"a\\x"', 2, /invalid escape/],
      ['"a\nb"', 2, /control character/],
      ['01', 1, /after the JSON value/],
      ['tru', 0, /expected a value/],
      ['', 0, /ends too early/],
    ];
    for (const [text, position, reason] of cases) {
      assert.equal(parses(text), false, `${text} should be invalid`);
      const location = locateJsonSyntaxError(text);
      assert.equal(location?.position, position, text);
      assert.match(location?.reason ?? '', reason, text);
    }
  });

  it('agrees with JSON.parse on random mutations of a valid document', () => {
    const base =
      '{"type":"scheduleUpdateTwin","updateTwin":{"tags":{"a":[1,2.5e3,true,null,"x\\"y"]}},"n":-0}';
    const alphabet = '{}[]:,"\\ 0123456789.-eEtrufalsn';
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 2000; round += 1) {
      const at = random(base.length);
      const text =
        base.slice(0, at) + (alphabet[random(alphabet.length)] ?? '') + base.slice(at + random(2));
      assert.equal(locateJsonSyntaxError(text) === undefined, parses(text), text);
    }
  });

  it('handles deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(200_000);
    assert.equal(locateJsonSyntaxError(deep)?.position, 200_000);
  });

  it('reports line and column', () => {
    assert.deepEqual(locateJsonSyntaxError('{\n  "a": ]\n}'), {
      position: 9,
      line: 2,
      column: 8,
      reason: 'expected a value, found "]"',
    });
  });
});
