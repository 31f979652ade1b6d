import { describe } from 'node:test';
import { describeChecks } from './support/checkSuite';
import { fixturesIn, readInfra } from './support/infraSnapshot';
import { settingsChecks } from './support/settingsSuite';

const infra = readInfra();

describe('infra app settings against the declared settings (src/settings)', () => {
  describeChecks(infra, settingsChecks, fixturesIn('settings'));
});
