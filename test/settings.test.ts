import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hubBudgetSizingOf,
  loadSettings,
  SettingsError,
  tierDefaults,
  type Settings,
} from '../src/settings';

const hubKey = 'c2VjcmV0LWh1Yi1rZXktZm9yLXRlc3RzLW9ubHk=';
const hubConnectionString = `HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=${hubKey}`;
const storageKey = 'c3RvcmFnZS1rZXktZm9yLXRlc3RzLW9ubHk=';
const minimal = {
  IOTHUB_CONNECTION_STRING: hubConnectionString,
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

function settingsError(env: Record<string, string>): SettingsError {
  try {
    loadSettings(env);
  } catch (error) {
    assert.ok(error instanceof SettingsError, `expected a SettingsError, got ${String(error)}`);
    return error;
  }
  assert.fail('loadSettings accepted the settings');
}

describe('loadSettings', () => {
  it('applies every documented default when only the connections are set', () => {
    const settings = loadSettings(minimal);
    const expected: Omit<Settings, 'hub' | 'storage'> = {
      hubTier: 'S1',
      hubUnits: 1,
      pollSchedule: '*/30 * * * * *',
      jobRequestsQueue: 'job-requests',
      tablePrefix: 'hubjobs',
      submitLeadSeconds: 120,
      submitRetryBaseSeconds: 5,
      submitRetryMaxSeconds: 300,
      hubRetryCount: 4,
      hubRetryBaseMs: 500,
      hubCallTimeoutMs: 30_000,
      importQueryShare: 0.5,
      pollIntervalSeconds: 30,
      createGraceSeconds: 600,
      healthHubReuseSeconds: 30,
      maxRequestBytes: 1_048_576,
      maxActiveJobs: 1,
      jobsOperationsPerMinute: 100,
      queriesPerMinute: 20,
      hubQuotaShare: 0.8,
      hubBudgetWindowSeconds: 5,
      hubBudgetClaimSize: 5,
      hubBudgetRetryMs: 50,
      hubBudgetWaitMs: 1000,
      deviceOperationsPerSecond: 10,
      maxRolloutRequestBytes: 64 * 1024 * 1024,
      maxTargetBlobBytes: 64 * 1024 * 1024,
      rolloutResolvePagesPerStep: 10,
      rolloutResolveQueryShare: 0.25,
      rolloutChunkEndWaitMs: 15_000,
      rolloutChunkEndCheckMs: 1000,
      rolloutVerifyIntervalSeconds: 30,
      deploymentContainer: undefined,
      windowSchedule: '0 * * * * *',
    };
    const { hub: _hub, storage: _storage, ...rest } = settings;
    assert.deepEqual(rest, expected);
  });

  it('reads a hub connection string and its host name', () => {
    assert.deepEqual(loadSettings(minimal).hub, {
      kind: 'connectionString',
      connectionString: hubConnectionString,
      hostName: 'myhub.azure-devices.net',
    });
  });

  it('reads the identity form of the hub, with an optional client id', () => {
    const env = {
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      IOTHUB_HOST_NAME: 'myhub.azure-devices.net',
    };
    assert.deepEqual(loadSettings(env).hub, {
      kind: 'identity',
      hostName: 'myhub.azure-devices.net',
    });
    assert.deepEqual(loadSettings({ ...env, AZURE_CLIENT_ID: 'client-1' }).hub, {
      kind: 'identity',
      hostName: 'myhub.azure-devices.net',
      clientId: 'client-1',
    });
  });

  it('reads the local endpoint redirect and CA file', () => {
    const settings = loadSettings({
      ...minimal,
      IOTHUB_ENDPOINT: 'https://127.0.0.1:18443',
      IOTHUB_CA_FILE: '.hubjobs/ca.pem',
    });
    assert.equal(settings.hubEndpoint, 'https://127.0.0.1:18443');
    assert.equal(settings.hubCaFile, '.hubjobs/ca.pem');
  });

  it('derives every storage service URI from an account name', () => {
    const env = {
      IOTHUB_HOST_NAME: 'h.azure-devices.net',
      AzureWebJobsStorage__accountName: 'jobsacct',
      AzureWebJobsStorage__clientId: 'uami',
    };
    assert.deepEqual(loadSettings(env).storage, {
      kind: 'identity',
      tableServiceUri: 'https://jobsacct.table.core.windows.net',
      queueServiceUri: 'https://jobsacct.queue.core.windows.net',
      blobServiceUri: 'https://jobsacct.blob.core.windows.net',
      clientId: 'uami',
    });
  });

  it('takes explicit service URIs, the blob one optional', () => {
    const env = {
      IOTHUB_HOST_NAME: 'h.azure-devices.net',
      AzureWebJobsStorage__tableServiceUri: 'https://t.example.net',
      AzureWebJobsStorage__queueServiceUri: 'https://q.example.net',
    };
    assert.deepEqual(loadSettings(env).storage, {
      kind: 'identity',
      tableServiceUri: 'https://t.example.net',
      queueServiceUri: 'https://q.example.net',
    });
  });

  it('accepts account-key and SAS storage connection strings', () => {
    const accountKey = `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${storageKey};EndpointSuffix=core.windows.net`;
    const sas =
      'TableEndpoint=https://a.table.core.windows.net;QueueEndpoint=https://a.queue.core.windows.net;SharedAccessSignature=sv=1&sig=abc';
    for (const connectionString of [accountKey, sas]) {
      assert.deepEqual(
        loadSettings({ ...minimal, AzureWebJobsStorage: connectionString }).storage,
        {
          kind: 'connectionString',
          connectionString,
        },
      );
    }
  });

  it('derives max active jobs and the hub quotas from tier and units, and lets each be overridden', () => {
    for (const [tier, defaults] of Object.entries(tierDefaults)) {
      const settings = loadSettings({ ...minimal, HUB_TIER: tier, HUB_UNITS: '3' });
      assert.equal(settings.maxActiveJobs, defaults.maxActiveJobs);
      assert.equal(settings.queriesPerMinute, defaults.queriesPerMinutePerUnit * 3);
      assert.equal(settings.jobsOperationsPerMinute, defaults.jobsOperationsPerMinutePerUnit * 3);
    }
    const overridden = loadSettings({
      ...minimal,
      HUB_MAX_ACTIVE_JOBS: '4',
      HUB_QUERIES_PER_MINUTE: '7',
      HUB_JOBS_OPS_PER_MINUTE: '9',
    });
    assert.equal(overridden.maxActiveJobs, 4);
    assert.equal(overridden.queriesPerMinute, 7);
    assert.equal(overridden.jobsOperationsPerMinute, 9);
  });

  it('reads the hub budget share and timings', () => {
    const settings = loadSettings({
      ...minimal,
      HUB_QUOTA_SHARE: '0.5',
      HUB_BUDGET_WINDOW_SECONDS: '10',
      HUB_BUDGET_CLAIM_SIZE: '20',
      HUB_BUDGET_RETRY_MS: '25',
    });
    assert.equal(settings.hubQuotaShare, 0.5);
    assert.equal(settings.hubBudgetWindowSeconds, 10);
    assert.equal(settings.hubBudgetClaimSize, 20);
    assert.equal(settings.hubBudgetRetryMs, 25);
  });

  it('treats blank values as unset', () => {
    assert.equal(
      loadSettings({ ...minimal, HUB_TIER: '  ', TABLE_PREFIX: '' }).tablePrefix,
      'hubjobs',
    );
  });
});

describe('SettingsError', () => {
  it('names a missing hub and a missing storage setting together', () => {
    const error = settingsError({});
    assert.match(error.message, /IOTHUB_CONNECTION_STRING or IOTHUB_HOST_NAME is required/);
    assert.match(error.message, /AzureWebJobsStorage or AzureWebJobsStorage__accountName/);
  });

  it('names each bad tunable with the value it got', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['HUB_TIER', 'S9', /HUB_TIER must be one of F1, S1, S2, S3 \(got 'S9'\)/],
      ['HUB_UNITS', '0', /HUB_UNITS must be an integer from 1 to 200 \(got '0'\)/],
      ['HUB_MAX_ACTIVE_JOBS', 'many', /HUB_MAX_ACTIVE_JOBS must be an integer/],
      ['HUB_QUERIES_PER_MINUTE', '-1', /HUB_QUERIES_PER_MINUTE must be an integer/],
      ['HUB_JOBS_OPS_PER_MINUTE', '0', /HUB_JOBS_OPS_PER_MINUTE must be an integer from 1/],
      ['HUB_QUOTA_SHARE', '0', /HUB_QUOTA_SHARE must be a number greater than 0 and at most 1/],
      ['HUB_QUOTA_SHARE', '80%', /HUB_QUOTA_SHARE must be a number/],
      [
        'HUB_BUDGET_WINDOW_SECONDS',
        '61',
        /HUB_BUDGET_WINDOW_SECONDS must be an integer from 1 to 60/,
      ],
      ['HUB_BUDGET_CLAIM_SIZE', '0', /HUB_BUDGET_CLAIM_SIZE must be an integer from 1/],
      ['HUB_BUDGET_RETRY_MS', '0', /HUB_BUDGET_RETRY_MS must be an integer from 1/],
      [
        'POLL_SCHEDULE',
        '*/30 * * * *',
        /POLL_SCHEDULE must be an NCRONTAB expression with 6 fields/,
      ],
      ['JOB_REQUESTS_QUEUE', 'Job_Requests', /JOB_REQUESTS_QUEUE must be a queue name/],
      [
        'TABLE_PREFIX',
        'hub-jobs',
        /TABLE_PREFIX must start with a letter and hold only letters and digits/,
      ],
      ['TABLE_PREFIX', '1hub', /TABLE_PREFIX must start with a letter/],
      ['TABLE_PREFIX', 'a'.repeat(41), /TABLE_PREFIX .*at most 40 characters/],
      ['SUBMIT_LEAD_SECONDS', '1.5', /SUBMIT_LEAD_SECONDS must be an integer/],
      ['SUBMIT_RETRY_BASE_SECONDS', 'x', /SUBMIT_RETRY_BASE_SECONDS must be an integer/],
      ['SUBMIT_RETRY_MAX_SECONDS', '0', /SUBMIT_RETRY_MAX_SECONDS must be an integer/],
      ['HUB_RETRY_COUNT', '11', /HUB_RETRY_COUNT must be an integer from 0 to 10/],
      ['HUB_RETRY_BASE_MS', '-5', /HUB_RETRY_BASE_MS must be an integer/],
      ['HUB_CALL_TIMEOUT_MS', '0', /HUB_CALL_TIMEOUT_MS must be an integer/],
      [
        'IMPORT_QUERY_SHARE',
        '1.5',
        /IMPORT_QUERY_SHARE must be a number greater than 0 and at most 1/,
      ],
      ['IMPORT_QUERY_SHARE', '0', /IMPORT_QUERY_SHARE must be a number greater than 0/],
      ['POLL_INTERVAL_SECONDS', 'soon', /POLL_INTERVAL_SECONDS must be an integer/],
      ['CREATE_GRACE_SECONDS', '0', /CREATE_GRACE_SECONDS must be an integer/],
      ['MAX_REQUEST_BYTES', '1MB', /MAX_REQUEST_BYTES must be an integer/],
      ['IOTHUB_ENDPOINT', 'http://127.0.0.1:18443', /IOTHUB_ENDPOINT must be an https URL/],
    ];
    for (const [name, value, expected] of cases) {
      const error = settingsError({ ...minimal, [name]: value });
      assert.match(error.message, expected, `${name}=${value}`);
      assert.deepEqual(error.settingNames, [name]);
    }
  });

  it('names every bad setting at once', () => {
    const error = settingsError({ ...minimal, HUB_TIER: 'S9', HUB_UNITS: 'x', TABLE_PREFIX: '-' });
    assert.deepEqual(error.settingNames, ['HUB_TIER', 'HUB_UNITS', 'TABLE_PREFIX']);
  });

  it('checks every setting that is set, also one the chosen form does not use', () => {
    const error = settingsError({
      ...minimal,
      IOTHUB_HOST_NAME: 'https://myhub.azure-devices.net',
    });
    assert.deepEqual(error.settingNames, ['IOTHUB_HOST_NAME']);
  });

  it('refuses a retry ceiling below the retry base', () => {
    const error = settingsError({
      ...minimal,
      SUBMIT_RETRY_BASE_SECONDS: '60',
      SUBMIT_RETRY_MAX_SECONDS: '30',
    });
    assert.match(
      error.message,
      /SUBMIT_RETRY_MAX_SECONDS must not be less than SUBMIT_RETRY_BASE_SECONDS/,
    );
  });

  it('names a malformed hub connection string without printing it', () => {
    const withoutKey = `HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;DeviceId=x;Key=${hubKey}`;
    const withPort = `HostName=localhost:18443;SharedAccessKeyName=iothubowner;SharedAccessKey=${hubKey}`;
    for (const connectionString of [withoutKey, withPort, 'garbage', hubKey]) {
      const error = settingsError({ ...minimal, IOTHUB_CONNECTION_STRING: connectionString });
      assert.match(
        error.message,
        /IOTHUB_CONNECTION_STRING is malformed: HostName, SharedAccessKeyName and SharedAccessKey are required/,
      );
      assert.ok(!error.message.includes(hubKey), 'the key leaked');
      assert.ok(!error.message.includes('iothubowner'), 'the connection string leaked');
    }
  });

  it('names a malformed storage connection string without printing it', () => {
    const error = settingsError({
      ...minimal,
      AzureWebJobsStorage: `AccountName=acct;Key=${storageKey}`,
    });
    assert.match(error.message, /AzureWebJobsStorage is malformed/);
    assert.ok(!error.message.includes(storageKey));
    assert.ok(!error.message.includes('acct'));
  });

  it('cuts a SAS off a bad service URI before echoing it', () => {
    const error = settingsError({
      IOTHUB_HOST_NAME: 'h.azure-devices.net',
      AzureWebJobsStorage__tableServiceUri: 'ftp://t.example.net/?sv=2024&sig=c2lnbmF0dXJl',
      AzureWebJobsStorage__queueServiceUri: 'https://q.example.net',
    });
    assert.match(error.message, /AzureWebJobsStorage__tableServiceUri must be an http\(s\) URL/);
    assert.ok(!error.message.includes('sig='));
  });

  it('names the missing half of explicit service URIs', () => {
    const error = settingsError({
      IOTHUB_HOST_NAME: 'h.azure-devices.net',
      AzureWebJobsStorage__tableServiceUri: 'https://t.example.net',
    });
    assert.match(error.message, /AzureWebJobsStorage__queueServiceUri is required/);
  });

  it('refuses a bad account name and a hub host name with a scheme or port', () => {
    assert.match(
      settingsError({ IOTHUB_HOST_NAME: 'h', AzureWebJobsStorage__accountName: 'Bad_Name' })
        .message,
      /AzureWebJobsStorage__accountName must be 3-24 lowercase letters and digits/,
    );
    for (const hostName of ['https://myhub.azure-devices.net', 'myhub.azure-devices.net:443']) {
      assert.match(
        settingsError({ ...minimal, IOTHUB_CONNECTION_STRING: '', IOTHUB_HOST_NAME: hostName })
          .message,
        /IOTHUB_HOST_NAME must be a host name/,
      );
    }
  });
});

describe('hubBudgetSizingOf', () => {
  it('reads what sizes the hub budget without needing a hub or storage connection', () => {
    assert.deepEqual(
      hubBudgetSizingOf({ HUB_TIER: 'S3', HUB_UNITS: '2', HUB_QUOTA_SHARE: '0.5' }),
      {
        jobsOperationsPerMinute: 10_000,
        queriesPerMinute: 2000,
        importQueryShare: 0.5,
        hubQuotaShare: 0.5,
        hubBudgetWindowSeconds: 5,
        hubBudgetClaimSize: 5,
        hubBudgetRetryMs: 50,
        hubBudgetWaitMs: 1000,
      },
    );
  });

  it('names a bad budget setting', () => {
    assert.throws(
      () => hubBudgetSizingOf({ HUB_BUDGET_CLAIM_SIZE: 'lots' }),
      (error: unknown) =>
        error instanceof SettingsError &&
        error.settingNames.length === 1 &&
        error.settingNames[0] === 'HUB_BUDGET_CLAIM_SIZE',
    );
  });
});
