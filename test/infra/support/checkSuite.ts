import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changed, type InfraChange, type InfraSnapshot } from './infraSnapshot';

export type Check = (snapshot: InfraSnapshot) => string[];

/**
 * Specifies one check: it finds nothing in infra/ as it is, and each of its fixtures (a change to
 * infra/) makes it report the problem the fixture expects.
 */
export function describeChecks(
  infra: InfraSnapshot,
  checks: Readonly<Record<string, Check>>,
  fixtures: readonly [string, InfraChange][],
): void {
  for (const [check, problemsOf] of Object.entries(checks)) {
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
    const unknown = fixtures.filter(([, change]) => !(change.check in checks));
    assert.deepEqual(
      unknown.map(([file]) => file),
      [],
    );
  });
}
