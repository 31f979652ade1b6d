import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryConditionSyntaxProblem } from '../../src/core/queryConditionSyntax';

describe('queryConditionSyntaxProblem', () => {
  const malformed: [string, RegExp][] = [
    ["tags.x = 'a", /string opened with ' at character 10 that is never closed/],
    ['tags.x = "a', /string opened with " at character 10/],
    ['((tags.x = 1', /2 '\(' never closed/],
    ['tags.x = 1)', /'\)' that closes nothing/],
    ["deviceId IN ['a', 'b')", /closes '\[' with '\)'/],
    ['tags.x =', /'=' with nothing after it/],
    ['= 1', /'=' with nothing before it/],
    ['tags.x = 1 AND', /'AND' with nothing after it/],
    ['OR tags.x = 1', /'OR' with nothing before it/],
    ['tags.x = 1 AND OR tags.y = 2', /'AND' directly followed by 'OR'/],
    ['tags.x = = 1', /'=' directly followed by '='/],
    ['(tags.x = 1 AND) OR tags.y = 2', /'AND' with nothing after it/],
    ['NOT', /'NOT' with nothing after it/],
    ["deviceId IN ['a',]", /',' with nothing after it/],
    ["deviceId IN [,'a']", /',' with nothing before it/],
    ['tags.x = 1 AND ()', /'\(\)' with nothing inside/],
  ];
  for (const [condition, problem] of malformed) {
    it(`refuses ${condition}`, () => {
      assert.match(queryConditionSyntaxProblem(condition) ?? 'accepted', problem);
    });
  }

  const wellFormed = [
    '*',
    "tags.site = 'berlin'",
    "deviceId IN ['device-00001','device-00002']",
    'deviceId IN []',
    "tags.x = 'a(b' AND tags.y = 'c]'",
    "tags.x = 'it''s'",
    'NOT (tags.x = 1) AND tags.y >= -1.5',
    "tags.x NOT IN ['a']",
    'IS_DEFINED(tags.x) OR properties.reported.$metadata.fw != 2',
    "tags.and = 1 or tags.OR <> 'x'",
    'tags.x <= 3 AND tags.y > 2',
  ];
  for (const condition of wellFormed) {
    it(`leaves ${condition} to the hub`, () => {
      assert.equal(queryConditionSyntaxProblem(condition), undefined);
    });
  }
});
