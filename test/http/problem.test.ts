import { RolloutExistsError, RolloutNotFoundError } from '../../src/rollouts/rolloutErrors';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpResponse } from '@azure/functions';
import { HubCallError } from '../../src/core/hubCallError';
import { HttpProblemError } from '../../src/http/httpProblemError';
import { problemResponse, problemSchema, toProblem } from '../../src/http/problem';
import {
  ConcurrencyError,
  ConflictError,
  DomainError,
  ValidationError,
  type DomainErrorCode,
} from '../../src/core/errors';
import { JobExistsError, JobNotFoundError } from '../../src/jobs/jobErrors';
import { SettingsError } from '../../src/settings';
import { InvalidContinuationTokenError } from '../../src/core/continuationToken';

const secret = 'SharedAccessKey=c2VjcmV0;sig=abc123';

describe('problemResponse', () => {
  it('answers application/problem+json with RFC 9457 members', async () => {
    const response = problemResponse(404, 'Not found', 'No route GET /nope.', {
      code: 'ROUTE_NOT_FOUND',
      instance: '/api/nope',
    });
    assert.equal(response.status, 404);
    assert.equal(response.headers['content-type'], 'application/problem+json');
    assert.deepEqual(response.jsonBody, {
      type: 'urn:hubjobs:problem:route-not-found',
      title: 'Not found',
      status: 404,
      detail: 'No route GET /nope.',
      code: 'ROUTE_NOT_FOUND',
      instance: '/api/nope',
    });
    const wire = new HttpResponse(response);
    assert.equal(wire.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(await wire.json(), response.jsonBody);
  });

  it('leaves detail out when there is none', () => {
    const response = problemResponse(500, 'Internal error', undefined, { code: 'INTERNAL_ERROR' });
    assert.equal('detail' in response.jsonBody, false);
  });
});

describe('toProblem', () => {
  it('maps a ValidationError to 400 naming each field', () => {
    const response = toProblem(
      new ValidationError([
        { field: 'deviceIds.3', message: 'contains a quote' },
        { field: 'startTime', message: 'must be an ISO-8601 date' },
      ]),
    );
    assert.equal(response.status, 400);
    assert.equal(response.jsonBody.code, 'VALIDATION_FAILED');
    assert.deepEqual(response.jsonBody.errors, [
      { field: 'deviceIds.3', message: 'contains a quote' },
      { field: 'startTime', message: 'must be an ISO-8601 date' },
    ]);
    assert.match(response.jsonBody.detail ?? '', /deviceIds\.3, startTime/);
    assert.equal(problemSchema.safeParse(response.jsonBody).success, true);
  });

  it('maps domain errors by their stable code', () => {
    class IdempotencyKeyReused extends DomainError {
      readonly code = 'IDEMPOTENCY_KEY_REUSED';
    }
    class InFlight extends DomainError {
      readonly code = 'IDEMPOTENT_REQUEST_IN_FLIGHT';
    }
    const cases: Array<[unknown, number, string]> = [
      [new JobNotFoundError('j-1'), 404, 'JOB_NOT_FOUND'],
      [new JobExistsError('j-1'), 409, 'JOB_EXISTS'],
      [new RolloutNotFoundError('r-1'), 404, 'ROLLOUT_NOT_FOUND'],
      [new RolloutExistsError('r-1'), 409, 'ROLLOUT_EXISTS'],
      [new ConflictError('Job j-1 exists with a different body.'), 409, 'CONFLICT'],
      [new ConcurrencyError('etag mismatch on row x'), 409, 'CONCURRENT_UPDATE'],
      [new IdempotencyKeyReused('reused'), 422, 'IDEMPOTENCY_KEY_REUSED'],
      [new InFlight('in flight'), 409, 'IDEMPOTENT_REQUEST_IN_FLIGHT'],
    ];
    for (const [error, status, code] of cases) {
      const response = toProblem(error);
      assert.equal(response.status, status, code);
      assert.equal(response.jsonBody.code, code);
      assert.equal(
        response.jsonBody.type,
        `urn:hubjobs:problem:${code.toLowerCase().replaceAll('_', '-')}`,
      );
    }
    assert.equal(toProblem(new JobNotFoundError('j-1')).jsonBody.detail, 'Job j-1 does not exist.');
    const badToken = toProblem(
      new InvalidContinuationTokenError('is not a token this service issued'),
    );
    assert.equal(badToken.status, 400);
    assert.equal(badToken.jsonBody.code, 'INVALID_CONTINUATION_TOKEN');
    assert.deepEqual(badToken.jsonBody.errors, [
      { field: 'continuationToken', message: 'is not a token this service issued' },
    ]);
    assert.doesNotMatch(
      toProblem(new ConcurrencyError('etag mismatch on row x')).jsonBody.detail ?? '',
      /etag/,
    );
  });

  it('redacts a secret that a detail or a field message quotes', () => {
    const bodies = [
      toProblem(new ConflictError(`the hub quoted ${secret}`)).jsonBody,
      toProblem(new ValidationError([{ field: 'queryCondition', message: `near ${secret}` }]))
        .jsonBody,
    ];
    for (const body of bodies) {
      const text = JSON.stringify(body);
      assert.ok(!text.includes('c2VjcmV0') && !text.includes('abc123'), text);
    }
  });

  it('maps hub errors to 429, 503, 422 or 502 and passes Retry-After on', () => {
    const cases: Array<[HubCallError, number]> = [
      [
        new HubCallError('maxActiveJobs', secret, {
          status: 429,
          code: 429004,
          codeName: 'ThrottlingMaxActiveJobCountExceeded',
          retryAfterMs: 1500,
        }),
        429,
      ],
      [
        new HubCallError('throttled', secret, { status: 429, code: 429001, retryAfterMs: 10_000 }),
        429,
      ],
      [new HubCallError('transient', secret, { status: 503, code: 503001 }), 503],
      [new HubCallError('transient', secret), 503],
      [
        new HubCallError('badRequest', secret, {
          status: 400,
          code: 400004,
          codeName: 'ArgumentInvalid',
        }),
        422,
      ],
      [new HubCallError('unauthorized', secret, { status: 401, code: 401002 }), 502],
      [new HubCallError('notFound', secret, { status: 404, code: 404002 }), 502],
    ];
    for (const [error, status] of cases) {
      const response = toProblem(error);
      assert.equal(response.status, status, error.kind);
      assert.ok(!JSON.stringify(response).includes('c2VjcmV0'), 'the hub message leaked');
    }
    assert.equal(toProblem(cases[0]![0]).headers['retry-after'], '2');
    assert.equal(toProblem(cases[1]![0]).headers['retry-after'], '10');
    assert.equal(toProblem(cases[2]![0]).headers['retry-after'], undefined);
    assert.match(
      toProblem(cases[0]![0]).jsonBody.detail ?? '',
      /429 429004 ThrottlingMaxActiveJobCountExceeded/,
    );
  });

  it('maps a SettingsError to 500 naming the settings, never their values', () => {
    const response = toProblem(
      new SettingsError([
        `IOTHUB_CONNECTION_STRING is malformed (${secret})`,
        "HUB_TIER must be one of F1, S1, S2, S3 (got 'S9')",
      ]),
    );
    assert.equal(response.status, 500);
    assert.match(response.jsonBody.detail ?? '', /IOTHUB_CONNECTION_STRING, HUB_TIER/);
    assert.ok(!JSON.stringify(response).includes('c2VjcmV0'));
    assert.ok(!JSON.stringify(response).includes('S9'));
  });

  it('passes an HttpProblemError through with its status, code and headers', () => {
    const response = toProblem(
      new HttpProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', 'Send JSON.', {
        accept: 'application/json',
      }),
    );
    assert.equal(response.status, 415);
    assert.equal(response.jsonBody.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(response.jsonBody.type, 'urn:hubjobs:problem:unsupported-media-type');
    assert.equal(problemSchema.safeParse(response.jsonBody).success, true);
    assert.equal(response.headers.accept, 'application/json');
    assert.equal(response.headers['content-type'], 'application/problem+json');
    assert.equal(response.jsonBody.detail, 'Send JSON.');
  });

  it('answers anything else with a bare 500 coded INTERNAL_ERROR: no message, no stack', () => {
    // Only a cast can make a code outside the union; the status table covers every other one.
    class UnknownDomainError extends DomainError {
      readonly code = 'SOMETHING_NEW' as DomainErrorCode;
    }
    for (const error of [
      new Error(`connect failed: ${secret}`),
      new TypeError('x is undefined'),
      'a string',
      undefined,
      new UnknownDomainError(secret),
    ]) {
      const response = toProblem(error);
      assert.equal(response.status, 500);
      assert.deepEqual(response.jsonBody, {
        type: 'urn:hubjobs:problem:internal-error',
        title: 'Internal error',
        status: 500,
        code: 'INTERNAL_ERROR',
      });
    }
  });
});
