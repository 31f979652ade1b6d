import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHostConfig } from '../../dev/host/hostConfig';
import {
  declaredSettingNames,
  loadSettings,
  settingClasses,
  settingDeclarations,
  settingsOfClass,
  type Env,
} from '../../src/settings';

/** An environment that records every name read from it. */
function recording(values: Record<string, string>): { env: Env; read: Set<string> } {
  const read = new Set<string>();
  const env = new Proxy(values, {
    get: (target, name) => {
      if (typeof name === 'string') read.add(name);
      return typeof name === 'string' ? target[name] : undefined;
    },
  });
  return { env, read };
}

const minimal = {
  IOTHUB_CONNECTION_STRING: 'HostName=h.azure-devices.net;SharedAccessKeyName=o;SharedAccessKey=k',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

const namesOfClass = (...classes: Parameters<typeof settingsOfClass>) =>
  settingsOfClass(...classes).map((setting) => setting.name);

describe('settingDeclarations', () => {
  it('declares each setting once', () => {
    const names = declaredSettingNames();
    assert.deepEqual(
      names.filter((name, index) => names.indexOf(name) !== index),
      [],
    );
  });

  it('gives every setting a one-line doc', () => {
    for (const { name, doc } of settingDeclarations) {
      assert.match(doc, /^\S[^\n]*\.$/, name);
    }
  });

  it('gives a schema to every setting the app or the local host reads, and none to host ones', () => {
    for (const declaration of settingDeclarations) {
      assert.equal(
        declaration.schema === undefined,
        declaration.class === 'host',
        declaration.name,
      );
    }
  });

  it('has defaults that pass their own schema', () => {
    const withDefaults = settingDeclarations.filter((d) => d.default !== undefined);
    assert.ok(withDefaults.length > 0);
    for (const { name, default: value, schema } of withDefaults) {
      assert.ok(schema?.safeParse(value).success, `${name} default ${String(value)}`);
    }
  });

  it('sorts the settings the Functions host and local runs own into their classes', () => {
    assert.deepEqual(namesOfClass('host').sort(), [
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'AzureWebJobsStorage__credential',
      'FUNCTIONS_WORKER_RUNTIME',
    ]);
    assert.deepEqual(namesOfClass('shared').sort(), [
      'AzureWebJobsStorage',
      'AzureWebJobsStorage__accountName',
      'AzureWebJobsStorage__blobServiceUri',
      'AzureWebJobsStorage__clientId',
      'AzureWebJobsStorage__queueServiceUri',
      'AzureWebJobsStorage__tableServiceUri',
      'JOB_REQUESTS_QUEUE',
      'POLL_SCHEDULE',
      'WINDOW_SCHEDULE',
    ]);
    assert.deepEqual(namesOfClass('local').sort(), [
      'HOST_CHECK_FUNCTION_KEYS',
      'HOST_FUNCTION_KEY',
      'HOST_PORT',
      'IOTHUB_CA_FILE',
      'IOTHUB_ENDPOINT',
      'QUEUE_POLL_MAX_MS',
      'QUEUE_POLL_MIN_MS',
    ]);
  });

  it('flags the connection-string forms as local only', () => {
    const flagged = settingsOfClass(...settingClasses).filter((s) => s.localOnlyForm !== undefined);
    assert.deepEqual(
      flagged.map((setting) => setting.name),
      ['IOTHUB_CONNECTION_STRING', 'AzureWebJobsStorage'],
    );
  });

  it('marks the settings that hold a key as secret', () => {
    const secrets = settingDeclarations.filter((d) => d.secret).map((d) => d.name);
    for (const name of ['IOTHUB_CONNECTION_STRING', 'AzureWebJobsStorage', 'HOST_FUNCTION_KEY']) {
      assert.ok(secrets.includes(name), name);
    }
  });

  it('never echoes a rejected value of a secret setting', () => {
    const marker = 'c2VjcmV0LW1hcmtlcg==';
    const candidates = [marker, `Key=${marker}`, `HostName=h:1;SharedAccessKey=${marker}`];
    let rejected = 0;
    for (const { name, schema } of settingDeclarations.filter((d) => d.secret && d.schema)) {
      for (const value of candidates) {
        const parsed = schema?.safeParse(value);
        if (parsed === undefined || parsed.success) continue;
        rejected += 1;
        for (const issue of parsed.error.issues) assert.ok(!issue.message.includes(marker), name);
      }
    }
    assert.ok(rejected >= 2 * candidates.length, 'both connection strings reject every candidate');
  });
});

describe('settingsOfClass', () => {
  it('lists every declared setting exactly once across the classes, as plain data', () => {
    const all = settingsOfClass(...settingClasses);
    assert.deepEqual(
      all.map((setting) => setting.name),
      declaredSettingNames(),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(all)), all);
    assert.ok(all.every((setting) => !('schema' in setting) && !('field' in setting)));
  });
});

describe('who reads which setting', () => {
  it('has the app read every app and shared setting, no host one, and no undeclared one', () => {
    const { env, read } = recording(minimal);
    loadSettings(env);
    for (const name of namesOfClass('app', 'shared')) assert.ok(read.has(name), name);
    assert.deepEqual(
      [...read].filter((name) => !namesOfClass('app', 'shared', 'local').includes(name)),
      [],
    );
  });

  it('has the local host read only local settings', () => {
    const { env, read } = recording({});
    readHostConfig(env);
    assert.deepEqual(
      [...read].filter((name) => !namesOfClass('local').includes(name)),
      [],
    );
  });

  it('leaves no declared setting unread, except those the Functions host reads', () => {
    const app = recording(minimal);
    const host = recording({});
    loadSettings(app.env);
    readHostConfig(host.env);
    const read = new Set([...app.read, ...host.read]);
    assert.deepEqual(
      declaredSettingNames().filter((name) => !read.has(name)),
      namesOfClass('host'),
    );
  });
});
