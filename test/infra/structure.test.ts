import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { syntaxProblems } from './support/bicep';
import { describeChecks } from './support/checkSuite';
import { fixturesIn, readInfra } from './support/infraSnapshot';
import {
  azureYaml,
  flexAndIdentity,
  parameters,
  references,
  syntax,
} from './support/structureChecks';

const infra = readInfra();
const brokenDir = path.join(__dirname, 'fixtures/broken-bicep');
const yaml = readFileSync(path.join(__dirname, '../../azure.yaml'), 'utf8');

describe('infra/ Bicep files, parsed with tree-sitter-bicep (syntax only: no compiler offline)', () => {
  describeChecks(
    infra,
    {
      'every .bicep file parses without ERROR or MISSING nodes': syntax,
      'every module and loaded file exists': references,
      'main.parameters.json matches main.bicep': parameters,
      'a Flex Consumption Node 22 app reached by identity only': flexAndIdentity,
      'azure.yaml names a TypeScript function service that main.bicep tags': (s) =>
        azureYaml(s, yaml),
    },
    fixturesIn('structure'),
  );

  for (const file of readdirSync(brokenDir).filter((name) => name.endsWith('.bicep'))) {
    it(`finds the syntax error in ${file}`, () => {
      const problems = syntaxProblems(readFileSync(path.join(brokenDir, file), 'utf8'));
      assert.notDeepEqual(problems, []);
    });
  }
});

describe('azure.yaml, checked as text', () => {
  it('fails when the service is not a function host', () => {
    const problems = azureYaml(infra, yaml.replace('host: function', 'host: appservice'));
    assert.deepEqual(problems, ['azure.yaml service api lacks host: function']);
  });

  it('fails when the build is local, which the package shape does not carry', () => {
    const problems = azureYaml(infra, yaml.replace('remoteBuild: true', 'remoteBuild: false'));
    assert.deepEqual(problems, ['azure.yaml service api lacks remoteBuild: true']);
  });
});
