import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setServices, type Services } from '../../src/composition';
import { createJobHandler } from '../../src/functions/createJob';
import { putJobHandler } from '../../src/functions/putJob';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp, type CallResult } from './support/invoke';

const valid = {
  type: 'scheduleDeviceMethod',
  deviceIds: ['device-00001'],
  cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
  maxExecutionTimeInSeconds: 600,
};

const fields = (response: CallResult): string[] =>
  ((response.json?.errors ?? []) as { field: string }[]).map((error) => error.field);

describe('bad input to the create functions', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    stack = await startLiveStack({
      devices: 3,
      tier: 'S1',
      limits: { jobsOperationsPerMinute: 0 },
    });
    services = stack.services({ MAX_REQUEST_BYTES: '4096' });
    setServices(services);
    await stack.admin.resetRequestCounts();
  });
  after(async () => {
    // Nothing was stored and nothing reached the hub.
    const stored = await services.deps.jobStore.list({}, { pageSize: 10 });
    const hubRequests = await stack.admin.requestCounts();
    setServices(undefined);
    await stack.close();
    assert.equal(stored.items.length, 0);
    assert.equal(hubRequests['jobs.create'] ?? 0, 0);
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    callHttp(createJobHandler, { method: 'POST', path: '/api/jobs', body, headers });

  const cases: [string, unknown, string[]][] = [
    ['malformed JSON', '{"type": "scheduleDeviceMethod",', ['body']],
    ['an empty body', '', ['body']],
    ['an unknown type', { ...valid, type: 'rebootEverything' }, ['type']],
    ['a bad start time', { ...valid, startTime: '2030-02-30T25:00:00Z' }, ['startTime']],
    ['a device id with a quote', { ...valid, deviceIds: ["o'brien"] }, ['deviceIds.0']],
    [
      'a bad property name',
      {
        type: 'scheduleUpdateTwin',
        deviceIds: ['device-00001'],
        updateTwin: { tags: { 'a b': 1 } },
        maxExecutionTimeInSeconds: 60,
      },
      ['updateTwin.tags'],
    ],
    [
      'a query condition with an unterminated string',
      { ...valid, deviceIds: undefined, queryCondition: "tags.x = 'a" },
      ['queryCondition'],
    ],
    [
      'a query condition with an unclosed parenthesis',
      { ...valid, deviceIds: undefined, queryCondition: '((tags.x = 1' },
      ['queryCondition'],
    ],
    [
      'a method name of 129 characters',
      { ...valid, cloudToDeviceMethod: { methodName: 'm'.repeat(129) } },
      ['cloudToDeviceMethod.methodName'],
    ],
  ];
  for (const [what, body, expected] of cases) {
    it(`answers 400 problem+json naming the field for ${what}`, async () => {
      const response = await post(body);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      for (const field of expected) {
        assert.ok(
          fields(response).some((name) => name === field || name.startsWith(`${field}.`)),
          `${field} in ${JSON.stringify(fields(response))}`,
        );
      }
    });
  }

  it('answers 413 for a body over MAX_REQUEST_BYTES', async () => {
    const response = await post({
      ...valid,
      cloudToDeviceMethod: { methodName: 'm', payload: 'x'.repeat(5000) },
    });
    assert.equal(response.status, 413);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
  });

  it('answers 400 for a method payload over 128 KB (within the body cap)', async () => {
    const roomy = stack.services({ MAX_REQUEST_BYTES: '1048576' });
    setServices(roomy);
    try {
      const payload = 'x'.repeat(140 * 1024);
      const response = await post({ ...valid, cloudToDeviceMethod: { methodName: 'm', payload } });
      assert.equal(response.status, 400);
      assert.ok(fields(response).some((field) => field.startsWith('cloudToDeviceMethod.payload')));
    } finally {
      setServices(services);
    }
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await post('type=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(response.status, 415);
  });

  it('answers 400 naming Idempotency-Key when the key is not printable ASCII', async () => {
    const response = await post(valid, { 'idempotency-key': 'ä'.repeat(3) });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response), ['Idempotency-Key']);
  });

  it('answers 400 for a PUT with a bad id and a bad body, naming both in turn', async () => {
    const badId = await callHttp(putJobHandler, {
      method: 'PUT',
      path: '/api/jobs/a.b',
      params: { jobId: 'a.b' },
      body: valid,
    });
    assert.deepEqual(fields(badId), ['jobId']);
    const badBody = await callHttp(putJobHandler, {
      method: 'PUT',
      path: '/api/jobs/ok-1',
      params: { jobId: 'ok-1' },
      body: '[',
    });
    assert.deepEqual(fields(badBody), ['body']);
  });
});
