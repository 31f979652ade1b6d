import { describe } from 'node:test';
import { describeChecks } from './support/checkSuite';
import { fixturesIn, readInfra } from './support/infraSnapshot';
import { secretFindings } from './support/secretScan';

describe('no secret under infra/', () => {
  describeChecks(
    readInfra(),
    {
      'no key, connection string with a key, list*() or SAS in any file, comments included': (s) =>
        secretFindings(s.files),
    },
    fixturesIn('secrets'),
  );
});
