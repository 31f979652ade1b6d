import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readHostConfig } from '../../dev/host/hostConfig';
import { readLocalSettingsValues } from '../../dev/host/hostSettings';
import { deriveHubKey } from '../../dev/hub-emulator/http/auth';
import { loadSettings } from '../../src/settings';

const values = readLocalSettingsValues(path.join(__dirname, '../../local.settings.sample.json'));

/** Every setting app-context.md names (SPEC §6), app and local-host ones alike. */
const documentedSettings = [
  'IOTHUB_CONNECTION_STRING',
  'IOTHUB_HOST_NAME',
  'AZURE_CLIENT_ID',
  'IOTHUB_ENDPOINT',
  'IOTHUB_CA_FILE',
  'AzureWebJobsStorage',
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__tableServiceUri',
  'AzureWebJobsStorage__queueServiceUri',
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__clientId',
  'HUB_TIER',
  'HUB_UNITS',
  'HUB_MAX_ACTIVE_JOBS',
  'POLL_SCHEDULE',
  'JOB_REQUESTS_QUEUE',
  'TABLE_PREFIX',
  'SUBMIT_LEAD_SECONDS',
  'SUBMIT_RETRY_BASE_SECONDS',
  'SUBMIT_RETRY_MAX_SECONDS',
  'HUB_RETRY_COUNT',
  'HUB_RETRY_BASE_MS',
  'HUB_CALL_TIMEOUT_MS',
  'IMPORT_QUERY_SHARE',
  'POLL_INTERVAL_SECONDS',
  'MAX_REQUEST_BYTES',
  'HOST_PORT',
  'QUEUE_POLL_MIN_MS',
  'QUEUE_POLL_MAX_MS',
  'HOST_CHECK_FUNCTION_KEYS',
  'HOST_FUNCTION_KEY',
];

describe('local.settings.sample.json', () => {
  it('lists every documented setting', () => {
    const missing = documentedSettings.filter((name) => !(name in values));
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
