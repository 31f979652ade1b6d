import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildDeviceIdCondition,
  countDeviceIdsThatFit,
  deviceIdProblem,
  hubQueryPrefix,
  maxHubQueryLength,
  queryConditionProblem,
} from '../../src/core/deviceIdCondition';
import { ValidationError } from '../../src/core/errors';

function validationErrors(action: () => unknown): ValidationError['errors'] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return error.errors;
  }
  assert.fail('expected a ValidationError');
}

/** Every literal in `deviceId IN ['a','b']`, read back the way a query parser would. */
function literalsOf(condition: string): string[] {
  const match = /^deviceId IN \[(.*)\]$/.exec(condition);
  assert.ok(match?.[1] !== undefined, condition);
  return [...match[1].matchAll(/'([^']*)'(,|$)/g)].map((m) => m[1] ?? '');
}

const legalCharacters = 'ABCxyz019-.%_*?!(),:=@$+#';

describe('buildDeviceIdCondition', () => {
  it("builds deviceId IN ['a','b'] in the given order", () => {
    assert.equal(buildDeviceIdCondition(['a', 'b']), "deviceId IN ['a','b']");
  });

  it('accepts every legal device-id character except the quote', () => {
    const ids = [...legalCharacters].map((c) => `d${c}`);
    assert.deepEqual(literalsOf(buildDeviceIdCondition(ids)), ids);
  });

  it('refuses a device id with a quote by its index, pointing to queryCondition', () => {
    const errors = validationErrors(() => buildDeviceIdCondition(['ok', "a' OR '1'='1"]));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.field, 'deviceIds.1');
    assert.match(errors[0]?.message ?? '', /contains a quote \('\).*use queryCondition instead/);
  });

  it('refuses ids that could close the list or escape a literal', () => {
    const attempts = ["x']", 'x]', 'a\\', "a\\'", 'a b', 'a\nb', 'é', "x'] OR deviceId IN ['y"];
    const errors = validationErrors(() => buildDeviceIdCondition(attempts));
    assert.deepEqual(
      errors.map((e) => e.field),
      attempts.map((_, index) => `deviceIds.${index}`),
    );
  });

  it('never lets a generated id change the set of literals (property-style loop)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = `${legalCharacters}'] \\[`;
    for (let round = 0; round < 300; round += 1) {
      const ids = Array.from({ length: 1 + random(5) }, () =>
        Array.from({ length: 1 + random(8) }, () => alphabet[random(alphabet.length)]).join(''),
      );
      let condition: string;
      try {
        condition = buildDeviceIdCondition(ids);
      } catch (error) {
        assert.ok(error instanceof ValidationError);
        assert.ok(
          ids.some((id) => deviceIdProblem(id) !== undefined),
          `refused good ids ${ids.join('|')}`,
        );
        continue;
      }
      assert.deepEqual(literalsOf(condition), ids);
    }
  });

  it('refuses an empty list and ids longer than 128 characters', () => {
    assert.equal(validationErrors(() => buildDeviceIdCondition([]))[0]?.field, 'deviceIds');
    const errors = validationErrors(() => buildDeviceIdCondition(['a'.repeat(129)]));
    assert.match(errors[0]?.message ?? '', /longer than 128/);
    assert.doesNotThrow(() => buildDeviceIdCondition(['a'.repeat(128)]));
  });

  it('counts the SELECT wrapper exactly: a query of 8192 characters passes, 8193 does not', () => {
    const wholeQuery = (ids: string[]): string =>
      `SELECT * FROM devices WHERE deviceId IN [${ids.map((id) => `'${id}'`).join(',')}]`;
    for (const idLength of [1, 7, 36, 100]) {
      const ids = ['a'];
      let n = 0;
      while (wholeQuery([...ids, 'x'.repeat(idLength)]).length <= maxHubQueryLength) {
        ids.push(`${n++}`.padStart(idLength, 'x'));
      }
      const slack = maxHubQueryLength - wholeQuery(ids).length;
      ids[0] = 'a'.repeat(1 + slack);
      assert.equal(wholeQuery(ids).length, maxHubQueryLength);
      assert.equal(hubQueryPrefix + buildDeviceIdCondition(ids), wholeQuery(ids));
      ids[0] = 'a'.repeat(2 + slack);
      const errors = validationErrors(() => buildDeviceIdCondition(ids));
      assert.equal(errors[0]?.field, 'deviceIds');
      assert.match(
        errors[0]?.message ?? '',
        new RegExp(`${ids.length} device ids make a 8193-character query`),
      );
    }
  });

  it('says how many ids fit when the list is too long', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `device-${i}`);
    const fitting = countDeviceIdsThatFit(ids);
    assert.ok(
      hubQueryPrefix.length + buildDeviceIdCondition(ids.slice(0, fitting)).length <=
        maxHubQueryLength,
    );
    assert.throws(() => buildDeviceIdCondition(ids.slice(0, fitting + 1)), ValidationError);
    const errors = validationErrors(() => buildDeviceIdCondition(ids));
    assert.match(
      errors[0]?.message ?? '',
      new RegExp(`3000 device ids .* the first ${fitting} fit`),
    );
  });
});

describe('queryConditionProblem', () => {
  it('accepts a condition whose whole query is exactly 8192 characters', () => {
    const longest = 'x'.repeat(maxHubQueryLength - hubQueryPrefix.length);
    assert.equal(queryConditionProblem(longest), undefined);
    assert.match(
      queryConditionProblem(`${longest}x`) ?? '',
      /would be 8193, over IoT Hub's limit of 8192/,
    );
  });

  it('refuses an empty or blank condition', () => {
    assert.equal(queryConditionProblem(''), 'must not be empty');
    assert.equal(queryConditionProblem(' \t'), 'must not be empty');
  });
});
