import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDeviceIdText } from '../../src/rollouts/parseDeviceIdText';

function errorsOf(text: string, maxDeviceIds?: number): string[] {
  const result = parseDeviceIdText(text, maxDeviceIds);
  assert.ok('errors' in result, `accepted ${text.slice(0, 80)}`);
  return result.errors;
}

function idsOf(text: string): string[] {
  const result = parseDeviceIdText(text);
  assert.ok('deviceIds' in result, JSON.stringify(result));
  return result.deviceIds;
}

describe('parseDeviceIdText', () => {
  it('reads one id per line, trimming \\r and skipping blank lines', () => {
    assert.deepEqual(idsOf('m1\r\nm2\n\n   \r\nm3\r\n'), ['m1', 'm2', 'm3']);
    assert.deepEqual(idsOf('only'), ['only']);
  });

  it('reads a JSON array of strings, after a byte-order mark or blanks', () => {
    assert.deepEqual(idsOf('\uFEFF  \n["m1", "m2"]'), ['m1', 'm2']);
    assert.deepEqual(idsOf('\uFEFFm1\nm2'), ['m1', 'm2'], 'a BOM before lines is dropped too');
  });

  it('de-duplicates, keeping the first occurrence in order', () => {
    assert.deepEqual(idsOf('b\na\nb\nc\na'), ['b', 'a', 'c']);
    assert.deepEqual(idsOf('["b","a","b"]'), ['b', 'a']);
  });

  it('names the line (1-based, blank lines counted) and the problem', () => {
    assert.deepEqual(errorsOf("m1\n\no'neil\nm 4"), [
      "line 3: contains a quote ('), which IoT Hub gives no way to escape in a query; use queryCondition instead",
      'line 4: has a character at position 2 that IoT Hub does not allow in a device id',
    ]);
  });

  it('names the array index (0-based) and the problem', () => {
    assert.deepEqual(errorsOf('["m1", 7, "", "x'.concat('y'.repeat(130), '"]')), [
      'index 1: must be a string',
      'index 2: must not be empty',
      'index 3: is longer than 128 characters',
    ]);
  });

  it("never quotes the blob's content, even for malformed JSON", () => {
    const secret = 'SharedAccessSignature=sig-SECRET';
    const texts = [
      `[${secret}]`,
      `["ok", "${secret} x"]`,
      `${secret} 1\n${secret}\t2`,
      `["a", {"k": "${secret}"}]`,
    ];
    for (const text of texts) {
      for (const error of errorsOf(text)) {
        assert.ok(!error.includes('SECRET') && !error.includes('Shared'), error);
      }
    }
    assert.match(errorsOf('[ "a", nope ]')[0]!, /^is not valid JSON/);
  });

  it('caps the error list at 20 and one summary line', () => {
    const text = Array.from({ length: 500 }, (_, i) => `bad id ${i}`).join('\n');
    const errors = errorsOf(text);
    assert.equal(errors.length, 21);
    assert.match(errors[0]!, /^line 1: /);
    assert.equal(errors[20], 'and 480 more lines with problems (the first 20 are listed)');
  });

  it('refuses a blob with no ids, and JSON that is not an array of ids', () => {
    assert.deepEqual(errorsOf('\n\r\n  \n'), ['holds no device ids']);
    assert.deepEqual(errorsOf('[]'), ['holds no device ids']);
    assert.deepEqual(errorsOf('[["m1"]]'), ['index 0: must be a string']);
  });

  it('refuses more distinct ids than the limit, 1,000,000 unless told', () => {
    assert.deepEqual(parseDeviceIdText('a\nb\na', 2), { deviceIds: ['a', 'b'] });
    assert.deepEqual(errorsOf('a\nb\nc', 2), [
      'holds 3 distinct device ids, over the limit of 2: split them into several rollouts',
    ]);
  });
});
