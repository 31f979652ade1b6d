import { describe } from 'node:test';
import { describeChecks } from './support/checkSuite';
import { fixturesIn, readInfra } from './support/infraSnapshot';
import { neededForProblems, roleProblems } from './support/roleChecks';
import { setByInfra } from './support/settingsChecks';

describe('role assignments of the app identity', () => {
  describeChecks(
    readInfra(),
    {
      'every needed role is assigned on the resource it serves': roleProblems,
      'every role is needed by a setting infra sets': (snapshot) =>
        neededForProblems(new Set(setByInfra(snapshot.settings).keys())),
    },
    fixturesIn('roles'),
  );
});
