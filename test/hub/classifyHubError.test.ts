import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { RestApiClient } from 'azure-iothub/dist/common-http/rest_api_client';
import { classifyHubError } from '../../src/hub/classifyHubError';
import { HubCallError } from '../../src/core/hubCallError';

/** An error exactly as the SDK builds it from an HTTP answer (RestApiClient.translateError). */
function sdkError(status: number, body: string, headers: Record<string, string> = {}): Error {
  const response = { statusCode: status, statusMessage: 'x', headers };
  return RestApiClient.translateError(body, response);
}

function currentBody(errorCode: number, message: string): string {
  const inner = {
    errorCode,
    trackingId: 'abc-TimeStamp:01/01/2026 00:00:00',
    message,
    timestampUtc: '2026-01-01T00:00:00Z',
  };
  return JSON.stringify({ Message: JSON.stringify(inner), ExceptionMessage: '' });
}

function legacyBody(codeName: string, message: string): string {
  return JSON.stringify({
    Message: `ErrorCode:${codeName};${message}`,
    ExceptionMessage: 'Tracking ID:abc',
  });
}

function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

describe('classifyHubError', () => {
  it('reads 429004 from a current-format body without the header as maxActiveJobs', () => {
    const error = classifyHubError(sdkError(429, currentBody(429004, 'Too many active jobs')));
    assert.equal(error.kind, 'maxActiveJobs');
    assert.equal(error.details.code, 429004);
    assert.equal(error.details.status, 429);
    assert.equal(error.retryable, false);
  });

  it('reads ThrottlingMaxActiveJobCountExceeded from a legacy body as maxActiveJobs', () => {
    const error = classifyHubError(
      sdkError(429, legacyBody('ThrottlingMaxActiveJobCountExceeded', 'Too many')),
    );
    assert.equal(error.kind, 'maxActiveJobs');
    assert.equal(error.details.codeName, 'ThrottlingMaxActiveJobCountExceeded');
  });

  it('takes the code name from the iothub-errorcode header with a current-format body', () => {
    const error = classifyHubError(
      sdkError(404, currentBody(404002, 'Job j1 not found.'), {
        'iothub-errorcode': 'JobNotFound',
      }),
    );
    assert.equal(error.kind, 'notFound');
    assert.equal(error.details.codeName, 'JobNotFound');
    assert.equal(error.details.code, 404002);
    assert.match(error.message, /404 \(JobNotFound 404002\): Job j1 not found\./);
  });

  it('classifies other 429s as throttled and retryable', () => {
    const error = classifyHubError(
      sdkError(429, currentBody(429001, 'Throttled'), {
        'iothub-errorcode': 'ThrottlingException',
      }),
    );
    assert.equal(error.kind, 'throttled');
    assert.equal(error.retryable, true);
  });

  it('classifies each HTTP status family by status, whatever the body', () => {
    const expectations: [number, HubCallError['kind']][] = [
      [400, 'badRequest'],
      [413, 'badRequest'],
      [401, 'unauthorized'],
      [403, 'unauthorized'],
      [404, 'notFound'],
      [408, 'transient'],
      [409, 'conflict'],
      [412, 'preconditionFailed'],
      [500, 'transient'],
      [502, 'transient'],
      [503, 'transient'],
      [504, 'transient'],
    ];
    for (const [status, kind] of expectations) {
      assert.equal(
        classifyHubError(sdkError(status, 'not json at all')).kind,
        kind,
        String(status),
      );
    }
  });

  it('reads 409104 JobAlreadyExists as a conflict with its code', () => {
    const error = classifyHubError(sdkError(409, currentBody(409104, 'Job exists')));
    assert.equal(error.kind, 'conflict');
    assert.equal(error.details.code, 409104);
  });

  it('turns Retry-After in seconds into milliseconds', () => {
    const error = classifyHubError(
      sdkError(503, currentBody(503001, 'busy'), { 'retry-after': '7' }),
    );
    assert.equal(error.details.retryAfterMs, 7000);
  });

  it('turns Retry-After as an HTTP date into the time left until then', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const headers = { 'retry-after': 'Sun, 01 Mar 2026 10:00:12 GMT' };
    const error = classifyHubError(sdkError(429, currentBody(429001, 'slow down'), headers), now);
    assert.equal(error.details.retryAfterMs, 12_000);
  });

  it('leaves retryAfterMs unset without a Retry-After header or with a garbled one', () => {
    assert.equal(classifyHubError(sdkError(503, '')).details.retryAfterMs, undefined);
    const garbled = sdkError(503, '', { 'retry-after': 'soon' });
    assert.equal(classifyHubError(garbled).details.retryAfterMs, undefined);
  });

  it('classifies socket errors as transient', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE']) {
      const error = classifyHubError(socketError(code, `connect ${code} 127.0.0.1:1`));
      assert.equal(error.kind, 'transient', code);
      assert.match(error.message, new RegExp(code));
    }
  });

  it('classifies by status even when the SDK error class says otherwise', () => {
    const mislabelled = Object.assign(sdkError(404, currentBody(404001, 'gone')), {
      name: 'ThrottlingError',
    });
    assert.equal(classifyHubError(mislabelled).kind, 'notFound');
    const named = Object.assign(new Error('x'), { name: 'ServiceUnavailableError' });
    assert.equal(classifyHubError(named).kind, 'unknown');
  });

  it('returns a HubCallError unchanged', () => {
    const original = new HubCallError('transient', 'slow');
    assert.equal(classifyHubError(original), original);
  });

  it('never carries a SAS token or key from the SDK error into the classified error', () => {
    const sas = 'SharedAccessSignature sr=hub.example&sig=S3cr3tS1gnature%3D&skn=iothubowner&se=1';
    const body = legacyBody('IotHubUnauthorizedAccess', `Unauthorized: ${sas}`);
    const sdk = Object.assign(sdkError(401, body), {
      request: { headers: { authorization: sas } },
      message: `request failed with ${sas} SharedAccessKey=abcKey123=`,
    });
    for (const error of [classifyHubError(sdk), classifyHubError(new Error(sdk.message))]) {
      const rendered = `${error.message} ${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`;
      assert.doesNotMatch(rendered, /S3cr3tS1gnature|abcKey123/);
      assert.equal(error.cause, undefined);
    }
  });
});
