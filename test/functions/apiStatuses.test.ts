import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { setServices, type Services } from '../../src/composition';
import { httpFunctionDeclarations } from '../../src/functions/declarations';
import { BudgetedHubJobGateway } from '../../src/hub/BudgetedHubJobGateway';
import { FakeHubBudget } from '../support/fakeHubBudget';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp, type CallOptions, type CallResult } from './support/invoke';

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
const unlimited = { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 };
const maxRequestBytes = 4096;
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();
let sequence = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now()}-${sequence++}`;

function job(startTime: string) {
  return {
    type: 'scheduleDeviceMethod',
    deviceIds: ['device-00001'],
    cloudToDeviceMethod: { methodName: 'reboot' },
    startTime,
    maxExecutionTimeInSeconds: 600,
  };
}

const declaration = (name: string) => {
  const found = httpFunctionDeclarations.find((d) => d.name === name);
  assert.ok(found, name);
  return found;
};

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('every documented response status, produced through the real handlers', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    stack = await startLiveStack({ devices: 3, tier: 'S3', limits: unlimited });
    services = stack.services({
      MAX_REQUEST_BYTES: String(maxRequestBytes),
      MAX_ROLLOUT_REQUEST_BYTES: String(maxRequestBytes),
    });
    setServices(services);
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  const call = (name: string, options: CallOptions): Promise<CallResult> =>
    callHttp(declaration(name).options.handler as Handler, options);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    call('createJob', { method: 'POST', path: '/api/jobs', body, headers });
  const put = (jobId: string, body: unknown, headers: Record<string, string> = {}) =>
    call('putJob', { method: 'PUT', path: `/api/jobs/${jobId}`, params: { jobId }, body, headers });
  const get = (jobId: string) => call('getJob', { path: `/api/jobs/${jobId}`, params: { jobId } });
  const cancel = (jobId: string, headers: Record<string, string> = {}) =>
    call('cancelJob', {
      method: 'POST',
      path: `/api/jobs/${jobId}/cancel`,
      params: { jobId },
      headers,
    });
  const devices = (jobId: string, query = '') =>
    call('listDeviceResults', { path: `/api/jobs/${jobId}/devices?${query}`, params: { jobId } });
  const created = async (startTime: string) => (await post(job(startTime))).json.jobId as string;
  const oversize = { ...job(tomorrow()), deviceIds: ['d'.repeat(maxRequestBytes)] };
  const refusedByHub = async (send: () => Promise<CallResult>) => {
    await stack.admin.addFault({ route: 'jobs.create', status: 400, count: 1 });
    return send();
  };
  const hubFailingCancel = async (status: number) => {
    const jobId = await created(inAMinute());
    await stack.admin.addFault({ route: 'jobs.cancel', status, count: 20 });
    try {
      return await cancel(jobId);
    } finally {
      await stack.admin.clearFaults();
    }
  };
  const cancelWithoutBudget = async () => {
    const jobId = await created(inAMinute());
    const spent = new BudgetedHubJobGateway(services.hub, new FakeHubBudget({ jobsOperations: 0 }));
    setServices({ ...services, hub: spent, deps: { ...services.deps, hub: spent } });
    try {
      return await cancel(jobId);
    } finally {
      setServices(services);
    }
  };
  const inFlightReplay = async () => {
    await stack.admin.resetRequestCounts();
    await stack.admin.addFault({ route: 'jobs.create', delayMs: 1500, count: 1 });
    const key = uniqueId('inflight');
    const body = job(inAMinute());
    const first = post(body, { 'idempotency-key': key });
    for (let i = 0; i < 200 && !(await stack.admin.requestCounts())['jobs.create']; i++) {
      await sleep(20);
    }
    const meanwhile = await post(body, { 'idempotency-key': key });
    await first;
    return meanwhile;
  };

  const rolloutBody = (deviceId = 'device-00001') => ({
    operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
    targets: { deviceIds: [deviceId] },
    startTime: tomorrow(),
  });
  const postRollout = (body: unknown, headers: Record<string, string> = {}) =>
    call('createRollout', { method: 'POST', path: '/api/rollouts', body, headers });
  const putRollout = (rolloutId: string, body: unknown, headers: Record<string, string> = {}) =>
    call('putRollout', {
      method: 'PUT',
      path: `/api/rollouts/${rolloutId}`,
      params: { rolloutId },
      body,
      headers,
    });
  const getRollout = (rolloutId: string) =>
    call('getRollout', { path: `/api/rollouts/${rolloutId}`, params: { rolloutId } });
  const cancelRollout = (rolloutId: string, headers: Record<string, string> = {}) =>
    call('cancelRollout', {
      method: 'POST',
      path: `/api/rollouts/${rolloutId}/cancel`,
      params: { rolloutId },
      headers,
    });
  const rolloutDevices = (rolloutId: string, query = '') =>
    call('listRolloutDevices', {
      path: `/api/rollouts/${rolloutId}/devices?${query}`,
      params: { rolloutId },
    });
  const scheduleBody = {
    cron: '0 1 * * *',
    timeZone: 'Europe/Berlin',
    durationMinutes: 60,
    rollout: { operation: rolloutBody().operation, targets: { queryCondition: 'true' } },
  };
  const putSchedule = (scheduleId: string, body: unknown, headers: Record<string, string> = {}) =>
    call('putSchedule', {
      method: 'PUT',
      path: `/api/schedules/${scheduleId}`,
      params: { scheduleId },
      body,
      headers,
    });
  const getSchedule = (scheduleId: string) =>
    call('getSchedule', { path: `/api/schedules/${scheduleId}`, params: { scheduleId } });
  const deleteSchedule = (scheduleId: string) =>
    call('deleteSchedule', {
      method: 'DELETE',
      path: `/api/schedules/${scheduleId}`,
      params: { scheduleId },
    });
  const createdRollout = async () => (await postRollout(rolloutBody())).json.rolloutId as string;
  const oversizeRollout = {
    ...rolloutBody(),
    targets: { deviceIds: ['d'.repeat(maxRequestBytes)] },
  };
  /** A create slowed in its blob write, replayed under the same key while it is still running. */
  const rolloutInFlightReplay = async () => {
    const blobs = services.deps.deviceIdBlobs;
    const slow = {
      ...blobs,
      readOwn: blobs.readOwn.bind(blobs),
      readProducer: blobs.readProducer.bind(blobs),
      writeOwn: async (...args: Parameters<typeof blobs.writeOwn>) => {
        await sleep(1500);
        return blobs.writeOwn(...args);
      },
    };
    setServices({ ...services, deps: { ...services.deps, deviceIdBlobs: slow } });
    try {
      const key = uniqueId('rollout-inflight');
      const body = rolloutBody();
      const first = postRollout(body, { 'idempotency-key': key });
      await sleep(300);
      const meanwhile = await postRollout(body, { 'idempotency-key': key });
      await first;
      return meanwhile;
    } finally {
      setServices(services);
    }
  };

  const change = (name: string, action: string, rolloutId: string, headers = {}) =>
    call(name, {
      method: 'POST',
      path: `/api/rollouts/${rolloutId}/${action}`,
      params: { rolloutId },
      headers,
    });
  /** Pause and resume answer alike; each gets a paused rollout where it needs one. */
  const rolloutChangeProducers = (name: string, action: 'pause' | 'resume') => {
    const ready = async () => {
      const rolloutId = await createdRollout();
      if (action === 'resume') await change('pauseRollout', 'pause', rolloutId);
      return rolloutId;
    };
    return {
      [`${name} 200`]: async () => change(name, action, await ready()),
      [`${name} 400`]: () => change(name, action, 'a b'),
      [`${name} 404`]: () => change(name, action, uniqueId('missing')),
      [`${name} 409`]: async () => {
        const rolloutId = await createdRollout();
        await cancelRollout(rolloutId);
        return change(name, action, rolloutId);
      },
      [`${name} 422`]: async () => {
        const key = uniqueId(`${action}-key`);
        await change(name, action, await ready(), { 'idempotency-key': key });
        return change(name, action, await ready(), { 'idempotency-key': key });
      },
    };
  };

  const rerun = (rolloutId: string, headers: Record<string, string> = {}) =>
    change('rerunRollout', 'rerun', rolloutId, headers);
  /** A rollout that ended with one device failed, as its stores would hold it. */
  const endedWithFailures = async () => {
    const rolloutId = await createdRollout();
    const { rollouts, rolloutDeviceResults } = services.deps;
    const stored = await rollouts.get(rolloutId);
    assert.ok(stored);
    await rollouts.update({ ...stored, status: 'completed', endedAt: new Date().toISOString() });
    await rolloutDeviceResults.record(rolloutId, [
      {
        jobId: `${rolloutId}-w1-c1-a1`,
        deviceId: 'device-00001',
        status: 'failed',
        outcome: 'failed',
        attempt: 1,
      },
    ]);
    return rolloutId;
  };

  /** `operationId status` → a request that gets exactly that answer. */
  const producers: Record<string, () => Promise<CallResult>> = {
    'createJob 201': () => post(job(inAMinute())),
    'createJob 202': () => post(job(tomorrow())),
    'createJob 400': () => post({ type: 'scheduleDeviceMethod' }),
    'createJob 409': inFlightReplay,
    'createJob 413': () => post(oversize),
    'createJob 415': () => post('type=x', { 'content-type': 'text/plain' }),
    'createJob 422': () => refusedByHub(() => post(job(inAMinute()))),
    'putJob 200': async () => {
      const jobId = uniqueId('put');
      await put(jobId, job('2099-01-01T00:00:00Z'));
      return put(jobId, job('2099-01-01T00:00:00Z'));
    },
    'putJob 201': () => put(uniqueId('put'), job(inAMinute())),
    'putJob 202': () => put(uniqueId('put'), job(tomorrow())),
    'putJob 400': () => put('not_an_id!', job(tomorrow())),
    'putJob 409': async () => {
      const jobId = uniqueId('put');
      await put(jobId, job(tomorrow()));
      return put(jobId, { ...job(tomorrow()), deviceIds: ['device-00002'] });
    },
    'putJob 413': () => put(uniqueId('put'), oversize),
    'putJob 415': () => put(uniqueId('put'), 'x', { 'content-type': 'text/plain' }),
    'putJob 422': () => refusedByHub(() => put(uniqueId('put'), job(inAMinute()))),
    'getJob 200': async () => get(await created(tomorrow())),
    'getJob 400': () => get('a.b'),
    'getJob 404': () => get(uniqueId('missing')),
    'listJobs 200': () => call('listJobs', { path: '/api/jobs?pageSize=2' }),
    'listJobs 400': () => call('listJobs', { path: '/api/jobs?pageSize=0x10' }),
    'cancelJob 200': async () => cancel(await created(tomorrow())),
    'cancelJob 202': cancelWithoutBudget,
    'cancelJob 400': () => cancel('a b'),
    'cancelJob 404': () => cancel(uniqueId('missing')),
    'cancelJob 409': async () => {
      const jobId = await created(tomorrow());
      await cancel(jobId);
      return cancel(jobId);
    },
    'cancelJob 422': async () => {
      const key = uniqueId('cancel-key');
      await cancel(await created(tomorrow()), { 'idempotency-key': key });
      return cancel(await created(tomorrow()), { 'idempotency-key': key });
    },
    'cancelJob 429': () => hubFailingCancel(429),
    'cancelJob 503': () => hubFailingCancel(503),
    'listDeviceResults 200': async () => devices(await created(tomorrow())),
    'listDeviceResults 400': async () => devices(await created(tomorrow()), 'pageSize=1e2'),
    'listDeviceResults 404': () => devices(uniqueId('missing')),
    'health 200': () => call('health', { path: '/api/health' }),
    'health 503': async () => {
      const endpoint = `https://127.0.0.1:${await closedPort()}`;
      setServices(stack.services({ IOTHUB_ENDPOINT: endpoint }));
      try {
        return await call('health', { path: '/api/health' });
      } finally {
        setServices(services);
      }
    },
    'openapi 200': () => call('openapi', { path: '/api/openapi.json' }),
    'createRollout 200': () => postRollout({ ...rolloutBody(), dryRun: true }),
    'createRollout 202': () => postRollout(rolloutBody()),
    'createRollout 400': () => postRollout({ ...rolloutBody(), waves: { count: 0 } }),
    'createRollout 409': rolloutInFlightReplay,
    'createRollout 413': () => postRollout(oversizeRollout),
    'createRollout 415': () => postRollout('x', { 'content-type': 'text/plain' }),
    'createRollout 422': async () => {
      const key = uniqueId('rollout-key');
      await postRollout(rolloutBody(), { 'idempotency-key': key });
      return postRollout(rolloutBody('device-00002'), { 'idempotency-key': key });
    },
    'putRollout 200': async () => {
      const rolloutId = uniqueId('put-rollout');
      const body = { ...rolloutBody(), startTime: '2099-01-01T00:00:00Z' };
      await putRollout(rolloutId, body);
      return putRollout(rolloutId, body);
    },
    'putRollout 202': () => putRollout(uniqueId('put-rollout'), rolloutBody()),
    'putRollout 400': () => putRollout('not_an_id!', rolloutBody()),
    'putRollout 409': async () => {
      const rolloutId = uniqueId('put-rollout');
      await putRollout(rolloutId, rolloutBody());
      return putRollout(rolloutId, rolloutBody('device-00002'));
    },
    'putRollout 413': () => putRollout(uniqueId('put-rollout'), oversizeRollout),
    'putRollout 415': () =>
      putRollout(uniqueId('put-rollout'), 'x', { 'content-type': 'text/plain' }),
    'getRollout 200': async () => getRollout(await createdRollout()),
    'getRollout 400': () => getRollout('a.b'),
    'getRollout 404': () => getRollout(uniqueId('missing')),
    'listRollouts 200': () => call('listRollouts', { path: '/api/rollouts?pageSize=2' }),
    'listRollouts 400': () => call('listRollouts', { path: '/api/rollouts?status=done' }),
    'listRolloutDevices 200': async () => rolloutDevices(await createdRollout()),
    'listRolloutDevices 400': async () => rolloutDevices(await createdRollout(), 'outcome=done'),
    'listRolloutDevices 404': () => rolloutDevices(uniqueId('missing')),
    'cancelRollout 200': async () => cancelRollout(await createdRollout()),
    'cancelRollout 400': () => cancelRollout('a b'),
    'cancelRollout 404': () => cancelRollout(uniqueId('missing')),
    'cancelRollout 409': async () => {
      const rolloutId = await createdRollout();
      await cancelRollout(rolloutId);
      return cancelRollout(rolloutId);
    },
    'cancelRollout 422': async () => {
      const key = uniqueId('cancel-rollout-key');
      await cancelRollout(await createdRollout(), { 'idempotency-key': key });
      return cancelRollout(await createdRollout(), { 'idempotency-key': key });
    },
    'rerunRollout 202': async () => rerun(await endedWithFailures()),
    'rerunRollout 400': () => rerun('a b'),
    'rerunRollout 404': () => rerun(uniqueId('missing')),
    'rerunRollout 409': async () => rerun(await createdRollout()),
    'rerunRollout 422': async () => {
      const key = uniqueId('rerun-key');
      await rerun(await endedWithFailures(), { 'idempotency-key': key });
      return rerun(await endedWithFailures(), { 'idempotency-key': key });
    },
    ...rolloutChangeProducers('pauseRollout', 'pause'),
    ...rolloutChangeProducers('resumeRollout', 'resume'),
    'putSchedule 200': async () => {
      const scheduleId = uniqueId('schedule');
      await putSchedule(scheduleId, scheduleBody);
      return putSchedule(scheduleId, { ...scheduleBody, durationMinutes: 30 });
    },
    'putSchedule 201': () => putSchedule(uniqueId('schedule'), scheduleBody),
    'putSchedule 400': () => putSchedule(uniqueId('schedule'), { ...scheduleBody, cron: '* *' }),
    'putSchedule 413': () =>
      putSchedule(uniqueId('schedule'), { ...scheduleBody, cron: ' '.repeat(maxRequestBytes) }),
    'putSchedule 415': () =>
      putSchedule(uniqueId('schedule'), 'x', { 'content-type': 'text/plain' }),
    'getSchedule 200': async () => {
      const scheduleId = uniqueId('schedule');
      await putSchedule(scheduleId, scheduleBody);
      return getSchedule(scheduleId);
    },
    'getSchedule 400': () => getSchedule('a.b'),
    'getSchedule 404': () => getSchedule(uniqueId('missing')),
    'listSchedules 200': () => call('listSchedules', { path: '/api/schedules?pageSize=2' }),
    'listSchedules 400': () => call('listSchedules', { path: '/api/schedules?status=on' }),
    'deleteSchedule 200': async () => {
      const scheduleId = uniqueId('schedule');
      await putSchedule(scheduleId, scheduleBody);
      return deleteSchedule(scheduleId);
    },
    'deleteSchedule 400': () => deleteSchedule('a b'),
    'deleteSchedule 404': () => deleteSchedule(uniqueId('missing')),
  };

  const documented = httpFunctionDeclarations.flatMap((d) =>
    Object.keys(d.api.responses)
      .filter((status) => status !== 'default')
      .map((status) => `${d.name} ${status}`),
  );

  it('has a request for every documented status, and none for an undocumented one', () => {
    assert.deepEqual(Object.keys(producers).sort(), [...documented].sort());
  });

  for (const operation of documented) {
    it(`produces ${operation} with a body of the documented schema`, async () => {
      const [name = '', status = ''] = operation.split(' ');
      const produce = producers[operation];
      assert.ok(produce, operation);
      const response = await produce();
      assert.equal(String(response.status), status, `${operation}: ${response.text.slice(0, 300)}`);
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
      const schema = declaration(name).api.responses[status]?.content?.[mediaType];
      assert.ok(schema, `${operation} answers ${mediaType}, which is documented`);
      const parsed = schema.safeParse(response.json);
      assert.ok(parsed.success, `${operation}: ${JSON.stringify(parsed.error?.issues)}`);
      for (const header of Object.keys(declaration(name).api.responses[status]?.headers ?? {})) {
        assert.ok(response.headers.get(header), `${operation} sends ${header}`);
      }
    });
  }
});
