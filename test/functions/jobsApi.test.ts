import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setServices, type Services } from '../../src/composition';
import { cancelJobHandler } from '../../src/functions/cancelJob';
import { createJobHandler } from '../../src/functions/createJob';
import { getJobHandler } from '../../src/functions/getJob';
import { listJobsHandler } from '../../src/functions/listJobs';
import { putJobHandler } from '../../src/functions/putJob';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp } from './support/invoke';

const unlimited = { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 };
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();

function methodBody(overrides: Record<string, unknown> = {}) {
  return {
    type: 'scheduleDeviceMethod',
    deviceIds: ['device-00001', 'device-00002'],
    cloudToDeviceMethod: {
      methodName: 'reboot',
      payload: { delay: 1 },
      responseTimeoutInSeconds: 30,
    },
    maxExecutionTimeInSeconds: 600,
    ...overrides,
  };
}

describe('jobs HTTP functions (tier S3, so several jobs run at once)', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    stack = await startLiveStack({ devices: 5, tier: 'S3', limits: unlimited });
    services = stack.services();
    setServices(services);
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    callHttp(createJobHandler, { method: 'POST', path: '/api/jobs', body, headers });
  const put = (jobId: string, body: unknown) =>
    callHttp(putJobHandler, { method: 'PUT', path: `/api/jobs/${jobId}`, params: { jobId }, body });

  it('POST creates a job at the hub: 201, Location and the job', async () => {
    const response = await post(methodBody({ startTime: inAMinute() }));
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('location'), `/api/jobs/${response.json.jobId}`);
    assert.match(response.json.status, /^(queued|scheduled)$/);
    assert.equal(response.json.queryCondition, "deviceId IN ['device-00001','device-00002']");
    assert.equal(response.json.requestHash, undefined, 'bookkeeping stays inside');
  });

  it('POST answers 202 for a job that waits for its start time', async () => {
    const response = await post(methodBody({ startTime: tomorrow() }));
    assert.equal(response.status, 202);
    assert.equal(response.json.status, 'accepted');
    assert.ok(response.headers.get('location'));
  });

  it('PUT with the same body again answers 200 with the stored job, with a different body 409', async () => {
    const jobId = `put-${Date.now()}`;
    const body = methodBody({ startTime: tomorrow() });
    const created = await put(jobId, body);
    assert.equal(created.status, 202);
    const again = await put(jobId, body);
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, created.json);
    const different = await put(jobId, { ...body, deviceIds: ['device-00003'] });
    assert.equal(different.status, 409);
    assert.equal(different.headers.get('content-type'), 'application/problem+json');
    assert.equal(different.json.code, 'CONFLICT');
  });

  it('PUT refuses a bad job id, naming the field', async () => {
    const response = await put('bad_id!', methodBody());
    assert.equal(response.status, 400);
    assert.deepEqual(
      response.json.errors.map((e: { field: string }) => e.field),
      ['jobId'],
    );
  });

  it('GET returns a stored job and 404 problem+json for an unknown one', async () => {
    const created = await post(methodBody({ startTime: tomorrow() }));
    const jobId = created.json.jobId as string;
    const found = await callHttp(getJobHandler, { path: `/api/jobs/${jobId}`, params: { jobId } });
    assert.equal(found.status, 200);
    assert.equal(found.json.jobId, jobId);
    const missing = await callHttp(getJobHandler, {
      path: '/api/jobs/nope',
      params: { jobId: 'nope' },
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, 'JOB_NOT_FOUND');
  });

  it('lists newest first, filters, and pages with a continuation token', async () => {
    const twin = {
      type: 'scheduleUpdateTwin',
      queryCondition: "tags.floor = 'x'",
      updateTwin: { etag: '*', tags: { floor: 'y' } },
      startTime: tomorrow(),
      maxExecutionTimeInSeconds: 600,
    };
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post(twin)).json.jobId as string);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const query = `type=scheduleUpdateTwin&createdAfter=${since}&pageSize=2${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const page = await callHttp(listJobsHandler, { path: `/api/jobs?${query}` });
      assert.equal(page.status, 200);
      assert.ok(page.json.items.length <= 2);
      seen.push(...page.json.items.map((job: { jobId: string }) => job.jobId));
      token = page.json.continuationToken;
    } while (token !== undefined);
    assert.deepEqual(seen, [...ids].reverse());
    const badFilter = await callHttp(listJobsHandler, { path: '/api/jobs?status=sleeping' });
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.json.errors[0].field, 'status');
  });

  it('cancels before submission and after, and refuses to cancel twice', async () => {
    const waiting = (await post(methodBody({ startTime: tomorrow() }))).json.jobId as string;
    const atHub = (await post(methodBody({ startTime: inAMinute() }))).json.jobId as string;
    for (const jobId of [waiting, atHub]) {
      const cancel = () =>
        callHttp(cancelJobHandler, {
          method: 'POST',
          path: `/api/jobs/${jobId}/cancel`,
          params: { jobId },
        });
      const first = await cancel();
      assert.equal(first.status, 200);
      assert.equal(first.json.status, 'cancelled');
      const second = await cancel();
      assert.equal(second.status, 409);
      assert.match(second.json.detail, /cancelled/);
    }
    assert.equal((await services.hub.getJob(atHub)).status, 'cancelled');
  });
});
