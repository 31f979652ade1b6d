import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { describeError, lineLogger } from '../../src/core/logger';
import {
  clearSecretValues,
  redactedExcerpt,
  redactSecrets,
  registerSecretValues,
} from '../../src/core/redactSecrets';
import { createHostLog } from '../../dev/host/hostLog';
import { secretSettingValues } from '../../src/settings';

const hubKey = 'c2VjcmV0S2V5Rm9yVGhlSHViMTIzNDU2Nzg5MA==';
const accountKey = 'QWNjb3VudEtleU9mQXp1cml0ZVRoYXRJc0xvbmc=';
const signature = 'AbCdEf%2BgHiJkLmNoP%3D';
const bearer = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJodWJqb2JzIn0.c2lnbmF0dXJl';
const functionKey = 'fnKey_0123456789abcdefABCDEF';

/** Each form a secret takes in outside text, and the secret that must not survive it. */
const forms: { name: string; text: string; secret: string }[] = [
  {
    name: 'a hub connection string',
    text: `connect HostName=hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=${hubKey} failed`,
    secret: hubKey,
  },
  {
    name: 'a storage connection string',
    text: `DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=${accountKey};EndpointSuffix=core.windows.net`,
    secret: accountKey,
  },
  { name: 'a bare SharedAccessKey=', text: `SharedAccessKey=${hubKey}`, secret: hubKey },
  { name: 'a bare AccountKey=', text: `"AccountKey=${accountKey}"`, secret: accountKey },
  {
    name: 'a SAS token',
    text: `Authorization: SharedAccessSignature sr=hub.azure-devices.net&sig=${signature}&se=1&skn=iothubowner`,
    secret: signature,
  },
  {
    name: 'a sig= in a URL',
    text: `GET https://acct.blob.core.windows.net/c/b?sv=1&sig=${signature}`,
    secret: signature,
  },
  { name: 'a Bearer token', text: `authorization: Bearer ${bearer}`, secret: bearer },
  {
    name: 'a function key in ?code=',
    text: `GET /api/jobs?code=${functionKey}&pageSize=5 failed: aborted`,
    secret: functionKey,
  },
  {
    name: 'a function key in &code=',
    text: `/api/jobs?pageSize=5&code=${functionKey}`,
    secret: functionKey,
  },
  {
    name: 'an x-functions-key header',
    text: `x-functions-key: ${functionKey}`,
    secret: functionKey,
  },
  {
    name: 'an x-functions-key in JSON',
    text: `{"x-functions-key":"${functionKey}"}`,
    secret: functionKey,
  },
];

describe('redactSecrets', () => {
  afterEach(() => clearSecretValues());

  for (const { name, text, secret } of forms) {
    it(`removes ${name}`, () => {
      const redacted = redactSecrets(text);
      assert.ok(!redacted.includes(secret), redacted);
      assert.match(redacted, /\[redacted/);
    });
  }

  it('removes a configured secret value quoted verbatim, in any surrounding text', () => {
    registerSecretValues([hubKey, undefined]);
    const redacted = redactSecrets(
      `the hub said: key ${hubKey} is not valid (${encodeURIComponent(hubKey)})`,
    );
    assert.equal(redacted, 'the hub said: key [redacted] is not valid ([redacted])');
  });

  it('ignores configured values too short to be secrets, so ordinary words survive', () => {
    registerSecretValues(['true', 'job']);
    assert.equal(redactSecrets('job true'), 'job true');
  });

  it('leaves text without secrets unchanged, error codes included', () => {
    const text = 'IoT Hub answered 404 404103 DeviceNotOnline; iothub-errorcode=DeviceNotFound';
    assert.equal(redactSecrets(text), text);
  });

  it('bounds an excerpt after redaction', () => {
    const excerpt = redactedExcerpt(`SharedAccessKey=${hubKey} ${'x'.repeat(1000)}`, 50);
    assert.ok(!excerpt.includes(hubKey));
    assert.equal(excerpt.length, 51);
  });
});

describe('every log line goes through redactSecrets', () => {
  afterEach(() => clearSecretValues());

  it('the use-case logger redacts messages and their properties', () => {
    const lines: string[] = [];
    const logger = lineLogger({
      info: (l) => lines.push(l),
      warn: (l) => lines.push(l),
      error: (l) => lines.push(l),
    });
    for (const { text } of forms) logger.warn('call failed', { detail: text });
    for (const { text } of forms) logger.error(text);
    for (const { secret } of forms)
      assert.ok(
        lines.every((line) => !line.includes(secret)),
        secret,
      );
  });

  it('describeError redacts the message and keeps only its first line', () => {
    const error = new Error(
      `connect failed: SharedAccessKey=${hubKey}\n    at stack (file.ts:1:1)`,
    );
    assert.equal(describeError(error), 'Error: connect failed: [redacted connection string]');
    assert.ok(!describeError(`Bearer ${bearer}`).includes(bearer));
  });

  it("the local host's log redacts each line, a request URL's function key included", () => {
    const lines: string[] = [];
    const log = createHostLog((line) => lines.push(line));
    log(
      'host',
      'error',
      `GET /api/jobs?code=${functionKey} failed:`,
      new Error(`Bearer ${bearer}`),
    );
    registerSecretValues([functionKey]);
    log('host', 'information', `key was ${functionKey}`);
    assert.ok(lines.length >= 2);
    assert.ok(
      lines.every((line) => !line.includes(functionKey) && !line.includes(bearer)),
      lines.join('\n'),
    );
  });

  it('every setting declared secret is registered with the keys inside it', () => {
    const values = secretSettingValues({
      IOTHUB_CONNECTION_STRING: `HostName=h.azure-devices.net;SharedAccessKeyName=o;SharedAccessKey=${hubKey}`,
      AzureWebJobsStorage: `AccountName=a;AccountKey=${accountKey}`,
      HOST_FUNCTION_KEY: functionKey,
      HUB_TIER: 'S1-but-long-enough',
    });
    registerSecretValues(values);
    const text = `bare ${hubKey} and ${accountKey} and ${functionKey}; tier S1-but-long-enough`;
    assert.equal(
      redactSecrets(text),
      'bare [redacted] and [redacted] and [redacted]; tier S1-but-long-enough',
    );
  });
});
