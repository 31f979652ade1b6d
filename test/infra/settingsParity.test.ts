import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingDeclarations } from '../../src/settings';
import { changed, fixturesIn, readInfra } from './support/infraSnapshot';
import { expectedOnceDeclared } from './support/settingsChecks';
import { settingsChecks } from './support/settingsSuite';

const infra = readInfra();
const fixtures = fixturesIn('settings');

describe('infra app settings against the declared settings (src/settings)', () => {
  for (const [check, problemsOf] of Object.entries(settingsChecks)) {
    describe(check, () => {
      it('finds nothing in infra/', () => {
        assert.deepEqual(problemsOf(infra), []);
      });

      const own = fixtures.filter(([, change]) => change.check === check);
      it('has a fixture that breaks it', () =>
        assert.ok(own.length > 0, `no fixture for "${check}"`));
      for (const [file, change] of own) {
        it(`fails when ${change.why} (${file})`, () => {
          const problems = problemsOf(changed(infra, change));
          assert.ok(
            problems.some((problem) => problem.includes(change.expect)),
            `expected a problem with "${change.expect}", got ${JSON.stringify(problems)}`,
          );
        });
      }
    });
  }

  it('names only known checks in its fixtures', () => {
    assert.deepEqual(
      fixtures.filter(([, change]) => !(change.check in settingsChecks)).map(([file]) => file),
      [],
    );
  });
});

describe('settings infra sets before their feature declares them', () => {
  for (const name of expectedOnceDeclared) {
    it(`sets ${name} for the Functions host, shared-class once declared`, () => {
      const value = infra.settings.shared[name];
      assert.ok(value !== undefined && value.trim() !== '', `${name} is set under "shared"`);
      const declaration = settingDeclarations.find((d) => d.name === name);
      if (declaration === undefined) return; // checked by the accounting above once declared
      assert.equal(declaration.class, 'shared');
      assert.ok(declaration.schema?.safeParse(value).success, `${name}=${value} passes its schema`);
    });
  }
});
