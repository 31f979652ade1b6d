import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { devAccountKey } from '../support/azurite';
import {
  api,
  eventually,
  startE2eStack,
  type ApiResponse,
  type E2eStack,
} from './support/e2eStack';

const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();

function methodJob(deviceIds: string[], extra: Record<string, unknown> = {}) {
  return {
    type: 'scheduleDeviceMethod',
    deviceIds,
    cloudToDeviceMethod: {
      methodName: 'reboot',
      payload: { reason: 'e2e, "quoted"' },
      responseTimeoutInSeconds: 10,
    },
    maxExecutionTimeInSeconds: 300,
    ...extra,
  };
}

describe('end to end through the local host (tier S1)', () => {
  let stack: E2eStack;

  before(async () => {
    stack = await startE2eStack({
      devices: 40,
      tier: 'S1',
      seed: 1,
      permanentFailureShare: 0.2,
      limits: { queriesPerMinute: 0 },
    });
  });
  after(async () => {
    await stack.close();
    // No secret in any log line of the run.
    const output = stack.host.output();
    const hubKey = /SharedAccessKey=([^;]+)/.exec(stack.hub.connectionString)?.[1] ?? 'missing';
    for (const secret of [hubKey, devAccountKey, 'sig=', 'SharedAccessSignature ']) {
      assert.equal(output.includes(secret), false, `the host log holds ${secret.slice(0, 12)}…`);
    }
    assert.ok(output.length > 0);
  });

  const finished = async (
    jobId: string,
  ): Promise<{ status: string; statistics: Record<string, number> }> => {
    // The job says when its device results are all stored; assertResultsMatch checks that.
    await eventually(`job ${jobId} ends with its results imported`, async () => {
      const job = await api(stack, 'GET', `/jobs/${jobId}`);
      const progress = job.json.deviceResults as { complete?: boolean } | undefined;
      return (
        ['completed', 'failed'].includes(job.json.status as string) && progress?.complete === true
      );
    });
    const job: ApiResponse = await api(stack, 'GET', `/jobs/${jobId}`);
    const progress = job.json.deviceResults as { imported: number };
    assert.equal(progress.imported, (job.json.statistics as { deviceCount: number }).deviceCount);
    return job.json as { status: string; statistics: Record<string, number> };
  };

  const assertResultsMatch = async (jobId: string, statistics: Record<string, number>) => {
    const devices = await api(stack, 'GET', `/jobs/${jobId}/devices?pageSize=1000`);
    const items = devices.json.items as { deviceId: string; status: string; outcome: string }[];
    assert.equal(items.length, statistics.deviceCount);
    assert.equal(items.filter((item) => item.status === 'failed').length, statistics.failedCount);
    assert.equal(
      items.filter((item) => item.status === 'completed').length,
      statistics.succeededCount,
    );
    const csv = await api(stack, 'GET', `/jobs/${jobId}/devices?format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = csv.text.split('\r\n').filter((line) => line !== '');
    assert.equal(rows.length, items.length + 1);
    for (const item of items) {
      assert.ok(
        rows.some((row) =>
          row.startsWith(`${jobId},${item.deviceId},${item.status},${item.outcome},`),
        ),
      );
    }
  };

  it('runs a method job (deviceIds) and a twin job (queryCondition) to completed, with every device outcome', async () => {
    const method = await api(
      stack,
      'POST',
      '/jobs',
      methodJob(['device-00001', 'device-00002', 'device-00003']),
    );
    assert.equal(method.status, 201);
    assert.equal(method.headers.get('location'), `/api/jobs/${method.json.jobId}`);
    const methodDone = await finished(method.json.jobId as string);
    assert.equal(methodDone.status, 'completed');
    assert.equal(methodDone.statistics.deviceCount, 3);
    await assertResultsMatch(method.json.jobId as string, methodDone.statistics);

    const sites = stack.hub.model.query("SELECT * FROM devices WHERE tags.site = 'munich'", {
      pageSize: 100,
    });
    const twin = await api(stack, 'POST', '/jobs', {
      type: 'scheduleUpdateTwin',
      queryCondition: "tags.site = 'munich'",
      updateTwin: { etag: '*', properties: { desired: { telemetryInterval: 45 } } },
      maxExecutionTimeInSeconds: 300,
    });
    assert.equal(twin.status, 201);
    const twinDone = await finished(twin.json.jobId as string);
    assert.equal(twinDone.status, 'completed');
    assert.equal(twinDone.statistics.deviceCount, sites.items.length);
    await assertResultsMatch(twin.json.jobId as string, twinDone.statistics);
  });

  it('answers a PUT with the same body 200 and the stored job, a different body 409', async () => {
    const body = methodJob(['device-00004'], { startTime: tomorrow() });
    const created = await api(stack, 'PUT', '/jobs/e2e-put-1', body);
    assert.equal(created.status, 202);
    const same = await api(stack, 'PUT', '/jobs/e2e-put-1', body);
    assert.equal(same.status, 200);
    assert.deepEqual(same.json, created.json);
    const different = await api(stack, 'PUT', '/jobs/e2e-put-1', {
      ...body,
      deviceIds: ['device-00005'],
    });
    assert.equal(different.status, 409);
    assert.equal(different.headers.get('content-type'), 'application/problem+json');
  });

  it('replays the first response to an Idempotency-Key replay', async () => {
    const body = methodJob(['device-00006'], { startTime: tomorrow() });
    const headers = { 'idempotency-key': 'e2e-key-1' };
    const first = await api(stack, 'POST', '/jobs', body, headers);
    const replay = await api(stack, 'POST', '/jobs', body, headers);
    assert.equal(replay.status, first.status);
    assert.deepEqual(replay.json, first.json);
    assert.equal(replay.headers.get('location'), first.headers.get('location'));
    const reused = await api(
      stack,
      'POST',
      '/jobs',
      { ...body, deviceIds: ['device-00007'] },
      headers,
    );
    assert.equal(reused.status, 422);
  });

  it('lists newest first, by page, with filters', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await api(stack, 'POST', '/jobs', methodJob(['device-00008'], { startTime: tomorrow() })))
          .json.jobId as string,
      );
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({
        createdAfter: since,
        status: 'accepted',
        type: 'scheduleDeviceMethod',
        pageSize: '2',
      });
      if (token !== undefined) query.set('continuationToken', token);
      const page: ApiResponse = await api(stack, 'GET', `/jobs?${query.toString()}`);
      assert.equal(page.status, 200);
      seen.push(...(page.json.items as { jobId: string }[]).map((job) => job.jobId));
      token = page.json.continuationToken as string | undefined;
    } while (token !== undefined);
    assert.deepEqual(seen, [...ids].reverse());
    const twins = await api(
      stack,
      'GET',
      `/jobs?type=scheduleUpdateTwin&createdAfter=${encodeURIComponent(since)}`,
    );
    assert.deepEqual(twins.json.items, []);
  });

  it('cancels a job before submission and one at the hub', async () => {
    const waiting = await api(
      stack,
      'POST',
      '/jobs',
      methodJob(['device-00009'], { startTime: tomorrow() }),
    );
    const before = await api(stack, 'POST', `/jobs/${waiting.json.jobId}/cancel`);
    assert.equal(before.status, 200);
    assert.equal(before.json.status, 'cancelled');
    const inAMinute = new Date(Date.now() + 60_000).toISOString();
    const atHub = await api(
      stack,
      'POST',
      '/jobs',
      methodJob(['device-00010'], { startTime: inAMinute }),
    );
    assert.equal(atHub.status, 201);
    const cancelled = await api(stack, 'POST', `/jobs/${atHub.json.jobId}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.json.status, 'cancelled');
    const hubJob = stack.hub.model.jobs.get(atHub.json.jobId as string);
    assert.equal(hubJob.status, 'cancelled');
    assert.throws(() => stack.hub.model.jobs.get(waiting.json.jobId as string));
  });

  it('refuses bad input with a 4xx problem naming the field, storing nothing and calling no hub', async () => {
    await stack.admin.resetRequestCounts();
    const before = await api(stack, 'GET', '/jobs?pageSize=1000');
    const valid = methodJob(['device-00001']);
    const cases: [string, unknown, number, string | undefined][] = [
      ['POST', '{"type":', 400, 'body'],
      ['POST', '', 400, 'body'],
      ['POST', { ...valid, type: 'reboot' }, 400, 'type'],
      ['POST', { ...valid, startTime: 'tomorrow' }, 400, 'startTime'],
      ['POST', { ...valid, deviceIds: ["it's"] }, 400, 'deviceIds.0'],
      [
        'POST',
        { ...valid, cloudToDeviceMethod: { methodName: 'bad name' } },
        400,
        'cloudToDeviceMethod.methodName',
      ],
      [
        'POST',
        { ...valid, cloudToDeviceMethod: { methodName: 'm', payload: 'x'.repeat(130 * 1024) } },
        400,
        'cloudToDeviceMethod.payload',
      ],
      [
        'POST',
        { ...valid, cloudToDeviceMethod: { methodName: 'm', payload: 'x'.repeat(1100 * 1024) } },
        413,
        undefined,
      ],
    ];
    for (const [method, body, status, field] of cases) {
      const response = await api(stack, method, '/jobs', body);
      assert.equal(
        response.status,
        status,
        `${JSON.stringify(body).slice(0, 60)} → ${response.text.slice(0, 200)}`,
      );
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      if (field !== undefined) {
        const fields = (response.json.errors as { field: string }[]).map((error) => error.field);
        assert.ok(
          fields.some((name) => name === field || name.startsWith(`${field}.`)),
          `${field} in ${fields.join()}`,
        );
      }
    }
    const badId = await api(stack, 'PUT', '/jobs/bad.id', valid);
    assert.equal(badId.status, 400);
    const unknownRoute = await api(stack, 'GET', '/nothing/here');
    assert.equal(unknownRoute.status, 404);
    assert.match(unknownRoute.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const after = await api(stack, 'GET', '/jobs?pageSize=1000');
    assert.equal(after.json.items.length, before.json.items.length);
    assert.equal((await stack.admin.requestCounts())['jobs.create'] ?? 0, 0);
  });

  it('serves health and the OpenAPI document anonymously', async () => {
    const health = await api(stack, 'GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');
    const openapi = await api(stack, 'GET', '/openapi.json');
    assert.equal(openapi.status, 200);
    assert.match(String(openapi.json.openapi), /^3\.1/);
  });
});
