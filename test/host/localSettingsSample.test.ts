import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readHostConfig } from '../../dev/host/hostConfig';
import { readLocalSettingsValues } from '../../dev/host/hostSettings';
import { deriveHubKey } from '../../dev/hub-emulator/http/auth';
import { declaredSettingNames, loadSettings } from '../../src/settings';

const values = readLocalSettingsValues(path.join(__dirname, '../../local.settings.sample.json'));

describe('local.settings.sample.json', () => {
  it('lists every declared setting', () => {
    const missing = declaredSettingNames().filter((name) => !(name in values));
    assert.deepEqual(missing, []);
  });

  it('passes the app settings validation', () => {
    const settings = loadSettings(values);
    assert.equal(settings.hub.kind, 'connectionString');
    assert.equal(settings.storage.kind, 'connectionString');
    assert.equal(settings.hubEndpoint, 'https://127.0.0.1:18443');
  });

  it('passes the local host settings validation, on port 7071 without key checks', () => {
    const config = readHostConfig(values);
    assert.equal(config.port, 7071);
    assert.equal(config.checkFunctionKeys, false);
  });

  it('holds the connection string of the emulator npm start runs (seed 1) and its CA path', () => {
    assert.equal(
      values.IOTHUB_CONNECTION_STRING,
      `HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=${deriveHubKey(1)}`,
    );
    assert.equal(values.IOTHUB_CA_FILE, '.hubjobs/hub/cert.pem');
    assert.equal(values.AzureWebJobsStorage, 'UseDevelopmentStorage=true');
  });

  it('polls at the pace POLL_INTERVAL_SECONDS declares', () => {
    assert.equal(values.POLL_SCHEDULE, `*/${values.POLL_INTERVAL_SECONDS} * * * * *`);
  });
});
