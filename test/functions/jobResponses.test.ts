import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpRequest } from '@azure/functions';
import { setServices, type Services } from '../../src/composition';
import { httpHandler } from '../../src/functions/httpEdge';
import { createdJobResponse } from '../../src/functions/jobResponses';
import { emptyStatistics, type StoredJob } from '../../src/jobs/job';
import { testContext } from './support/invoke';

const job = (overrides: Partial<StoredJob> = {}): StoredJob => ({
  jobId: 'job-1',
  spec: { type: 'scheduleDeviceMethod', queryCondition: '*', maxExecutionTimeInSeconds: 60 },
  requestHash: 'h',
  status: 'queued',
  statistics: { ...emptyStatistics },
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  submitAttempts: 0,
  cancelRequested: false,
  revision: 'e',
  ...overrides,
});

describe('createdJobResponse', () => {
  it('answers 201 with Location once the hub has the job', () => {
    const response = createdJobResponse({ job: job(), created: true });
    assert.equal(response.status, 201);
    assert.equal(response.headers.location, '/api/jobs/job-1');
  });

  it('answers 202 while the job waits as accepted', () => {
    assert.equal(
      createdJobResponse({ job: job({ status: 'accepted' }), created: true }).status,
      202,
    );
  });

  it('answers 200 for an idempotent PUT that found the same job', () => {
    assert.equal(createdJobResponse({ job: job(), created: false }).status, 200);
  });

  it('answers 422 problem+json naming the job and the reason when the hub refused it', () => {
    const rejected = job({ status: 'rejected', failureReason: 'IoT Hub answered 400' });
    const response = createdJobResponse({ job: rejected, created: true });
    assert.equal(response.status, 422);
    assert.equal(response.headers['content-type'], 'application/problem+json');
    assert.equal(response.headers.location, '/api/jobs/job-1');
    assert.deepEqual(response.body, {
      type: 'urn:hubjobs:problem:job-rejected',
      title: 'IoT Hub refused the job',
      status: 422,
      detail: 'IoT Hub answered 400',
      code: 'JOB_REJECTED',
      jobId: 'job-1',
      jobStatus: 'rejected',
    });
  });
});

describe('httpHandler', () => {
  const request = new HttpRequest({ method: 'GET', url: 'http://127.0.0.1/api/jobs' });

  it('turns an unexpected throw into a 500 problem without its message, and logs it redacted', async () => {
    setServices({ deps: {} } as Services);
    const logs: string[] = [];
    try {
      const handler = httpHandler(() =>
        Promise.reject(new Error('connect failed: AccountKey=c2VjcmV0;sig=abc')),
      );
      const response = await handler(request, testContext(logs));
      assert.equal(response.status, 500);
      assert.equal(JSON.stringify(response).includes('c2VjcmV0'), false);
      assert.equal(logs.join('\n').includes('c2VjcmV0'), false);
      assert.equal(logs.join('\n').includes('sig=abc'), false);
      assert.match(logs.join('\n'), /connect failed/);
    } finally {
      setServices(undefined);
    }
  });
});
