import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { setServices } from '../../src/composition';
import { cancelJobHandler } from '../../src/functions/cancelJob';
import { createJobHandler } from '../../src/functions/createJob';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp } from './support/invoke';

const body = (startInSeconds: number) => ({
  type: 'scheduleDeviceMethod',
  deviceIds: ['device-00001'],
  cloudToDeviceMethod: { methodName: 'reboot' },
  startTime: new Date(Date.now() + startInSeconds * 1000).toISOString(),
  maxExecutionTimeInSeconds: 600,
});

describe('Idempotency-Key on POST', () => {
  let stack: LiveStack;

  before(async () => {
    stack = await startLiveStack({
      devices: 3,
      tier: 'S3',
      limits: { jobsOperationsPerMinute: 0 },
    });
    setServices(stack.services());
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  const post = (payload: unknown, key: string) =>
    callHttp(createJobHandler, {
      method: 'POST',
      path: '/api/jobs',
      body: payload,
      headers: { 'idempotency-key': key },
    });

  it('replays the first response to a repeated request, creating one job', async () => {
    const payload = body(60);
    const first = await post(payload, 'replay-1');
    assert.equal(first.status, 201);
    const replay = await post(payload, 'replay-1');
    assert.equal(replay.status, first.status);
    assert.equal(replay.headers.get('location'), first.headers.get('location'));
    assert.deepEqual(replay.json, first.json);
    const hubJobs = await stack.admin.requestCounts();
    assert.equal(hubJobs['jobs.create'], 1);
  });

  it('answers 422 to a different body under a used key', async () => {
    await post(body(3600), 'reuse-1');
    const different = await post(body(7200), 'reuse-1');
    assert.equal(different.status, 422);
    assert.equal(different.json.code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 409 to a replay while the first request is still running', async () => {
    await stack.admin.resetRequestCounts();
    await stack.admin.addFault({ route: 'jobs.create', delayMs: 1500, count: 1 });
    const payload = body(60);
    const slow = post(payload, 'inflight-1');
    for (let i = 0; i < 100 && !(await stack.admin.requestCounts())['jobs.create']; i++) {
      await sleep(20);
    }
    const meanwhile = await post(payload, 'inflight-1');
    assert.equal(meanwhile.status, 409);
    assert.equal(meanwhile.json.code, 'IDEMPOTENT_REQUEST_IN_FLIGHT');
    assert.equal((await slow).status, 201);
    assert.equal((await post(payload, 'inflight-1')).status, 201);
  });

  it('keeps keys apart per route: the same key may cancel after it created', async () => {
    const created = await post(body(3600), 'per-route-1');
    const jobId = created.json.jobId as string;
    const cancel = () =>
      callHttp(cancelJobHandler, {
        method: 'POST',
        path: `/api/jobs/${jobId}/cancel`,
        params: { jobId },
        headers: { 'idempotency-key': 'per-route-1' },
      });
    const first = await cancel();
    assert.equal(first.status, 200);
    const replay = await cancel();
    assert.equal(replay.status, 200, 'a replayed cancel gets the first answer, not a 409');
    assert.deepEqual(replay.json, first.json);
  });
});
