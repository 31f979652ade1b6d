import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readHostConfig } from '../../dev/host/hostConfig';
import {
  exportToEnvironment,
  findLocalSettingsFile,
  mergeSettings,
  readLocalSettingsValues,
} from '../../dev/host/hostSettings';
import { resolveSettingReferences } from '../../dev/host/settingReferences';

describe('local settings', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'host-settings-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('falls back to the sample file and prefers local.settings.json once it exists', async () => {
    const sample = path.join(directory, 'local.settings.sample.json');
    assert.equal(findLocalSettingsFile(directory), sample);
    await writeFile(path.join(directory, 'local.settings.json'), '{"Values":{}}');
    assert.equal(findLocalSettingsFile(directory), path.join(directory, 'local.settings.json'));
    assert.equal(
      findLocalSettingsFile(directory, 'other.json'),
      path.join(directory, 'other.json'),
    );
  });

  it('reads Values as strings and lets the environment override them', async () => {
    const file = path.join(directory, 'values.json');
    await writeFile(file, JSON.stringify({ Values: { A: 'file', B: 2, C: true } }));
    const values = readLocalSettingsValues(file);
    assert.deepEqual(values, { A: 'file', B: '2', C: 'true' });
    assert.deepEqual(mergeSettings(values, { A: 'env', D: undefined }), {
      A: 'env',
      B: '2',
      C: 'true',
    });
  });

  it('names the file when it is not valid JSON', async () => {
    const file = path.join(directory, 'broken.json');
    await writeFile(file, '{ nope');
    assert.throws(() => readLocalSettingsValues(file), /broken\.json is not valid JSON/);
  });

  it('exports file values to the environment without overwriting what is set', () => {
    const env: NodeJS.ProcessEnv = { A: 'env' };
    exportToEnvironment({ A: 'file', B: 'file' }, env);
    assert.deepEqual(env, { A: 'env', B: 'file' });
  });
});

describe('resolveSettingReferences', () => {
  it('replaces %NAME% with the setting value', () => {
    assert.equal(resolveSettingReferences('%Q%-x', { Q: 'jobs' }, 'f'), 'jobs-x');
  });

  it('names the missing setting and who needs it', () => {
    assert.throws(
      () =>
        resolveSettingReferences('%POLL_SCHEDULE%', { POLL_SCHEDULE: ' ' }, 'Function pollJobs'),
      /Function pollJobs refers to %POLL_SCHEDULE%, but setting POLL_SCHEDULE is not set/,
    );
  });
});

describe('readHostConfig', () => {
  it('uses the documented defaults', () => {
    assert.deepEqual(readHostConfig({}), {
      port: 7071,
      queuePollMinMs: 100,
      queuePollMaxMs: 2000,
      checkFunctionKeys: false,
    });
  });

  it('names a malformed setting', () => {
    assert.throws(() => readHostConfig({ HOST_PORT: '70000' }), /HOST_PORT must be an integer/);
    assert.throws(
      () => readHostConfig({ HOST_CHECK_FUNCTION_KEYS: 'yes' }),
      /HOST_CHECK_FUNCTION_KEYS/,
    );
    assert.throws(
      () => readHostConfig({ QUEUE_POLL_MIN_MS: '500', QUEUE_POLL_MAX_MS: '100' }),
      /QUEUE_POLL_MAX_MS must not be less than QUEUE_POLL_MIN_MS/,
    );
  });

  it('names every malformed setting at once', () => {
    assert.throws(
      () =>
        readHostConfig({ HOST_PORT: 'x', QUEUE_POLL_MIN_MS: '0', HOST_CHECK_FUNCTION_KEYS: 'on' }),
      (error: Error) => {
        assert.match(error.message, /HOST_PORT must be an integer from 0 to 65535 \(got 'x'\)/);
        assert.match(error.message, /QUEUE_POLL_MIN_MS must be an integer from 1 to 3600000/);
        assert.match(error.message, /HOST_CHECK_FUNCTION_KEYS must be true or false \(got 'on'\)/);
        return true;
      },
    );
  });

  it('treats blank values as unset and reads the rest trimmed', () => {
    assert.deepEqual(readHostConfig({ HOST_PORT: ' ', QUEUE_POLL_MAX_MS: ' 5000 ' }), {
      port: 7071,
      queuePollMinMs: 100,
      queuePollMaxMs: 5000,
      checkFunctionKeys: false,
    });
  });

  it('requires the key when key checks are on', () => {
    assert.throws(
      () => readHostConfig({ HOST_CHECK_FUNCTION_KEYS: 'true' }),
      /HOST_FUNCTION_KEY is required/,
    );
    const config = readHostConfig({ HOST_CHECK_FUNCTION_KEYS: 'TRUE', HOST_FUNCTION_KEY: 'k' });
    assert.equal(config.functionKey, 'k');
  });
});
