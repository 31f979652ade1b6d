import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingDeclarations } from '../../src/settings';
import { describeChecks } from './support/checkSuite';
import { fixturesIn, readInfra } from './support/infraSnapshot';
import { expectedOnceDeclared } from './support/settingsChecks';
import { settingsChecks } from './support/settingsSuite';

const infra = readInfra();

describe('infra app settings against the declared settings (src/settings)', () => {
  describeChecks(infra, settingsChecks, fixturesIn('settings'));
});

describe('settings infra sets before their feature declares them', () => {
  for (const name of expectedOnceDeclared) {
    it(`sets ${name} for the Functions host, shared-class once declared`, () => {
      const value = infra.settings.shared[name];
      assert.ok(value !== undefined && value.trim() !== '', `${name} is set under "shared"`);
      const declaration = settingDeclarations.find((d) => d.name === name);
      if (declaration === undefined) return; // then the accounting above checks it like any other
      assert.equal(declaration.class, 'shared');
      assert.ok(declaration.schema?.safeParse(value).success, `${name}=${value} passes its schema`);
    });
  }
});
