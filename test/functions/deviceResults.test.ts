import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setServices, type Services } from '../../src/composition';
import { createJobHandler } from '../../src/functions/createJob';
import { listDeviceResultsHandler } from '../../src/functions/listDeviceResults';
import { pollJobsHandler } from '../../src/functions/pollJobs';
import { driveUntil, startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp, testContext, type Json } from './support/invoke';
import { parseCsv } from './support/parseCsv';

describe('GET /jobs/{jobId}/devices', () => {
  let stack: LiveStack;
  let services: Services;
  let jobId: string;

  before(async () => {
    stack = await startLiveStack({
      devices: 30,
      tier: 'S1',
      permanentFailureShare: 0.3,
      limits: { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 },
    });
    services = stack.services();
    setServices(services);
    const created = await callHttp(createJobHandler, {
      method: 'POST',
      path: '/api/jobs',
      body: {
        type: 'scheduleDeviceMethod',
        queryCondition: '*',
        cloudToDeviceMethod: { methodName: 'reboot', payload: { reason: 'a, "b"' } },
        maxExecutionTimeInSeconds: 600,
      },
    });
    jobId = created.json.jobId as string;
    const done = async () => (await services.deps.jobStore.listActive()).length === 0;
    await driveUntil(
      'the job ends and its results are imported',
      () => pollJobsHandler({} as never, testContext([])),
      done,
    );
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  const get = (query: string) =>
    callHttp(listDeviceResultsHandler, {
      path: `/api/jobs/${jobId}/devices?${query}`,
      params: { jobId },
    });

  it('lists every device in pages, with its outcome', async () => {
    const items: Json[] = [];
    let token: string | undefined;
    do {
      const suffix = token === undefined ? '' : `&continuationToken=${encodeURIComponent(token)}`;
      const page = await get(`pageSize=7${suffix}`);
      assert.equal(page.status, 200);
      items.push(...(page.json.items as Json[]));
      token = page.json.continuationToken as string | undefined;
    } while (token !== undefined);
    assert.equal(items.length, 30);
    assert.equal(new Set(items.map((item) => item.deviceId as string)).size, 30);
    const job = await services.deps.jobStore.get(jobId);
    assert.equal(job?.statistics.deviceCount, 30);
    assert.equal(
      items.filter((item) => item.status === 'failed').length,
      job?.statistics.failedCount,
    );
    assert.ok(items.some((item) => item.methodResponse?.status === 200));
  });

  it('filters by status', async () => {
    const failed = await get('status=failed&pageSize=100');
    assert.ok(failed.json.items.length > 0);
    assert.ok((failed.json.items as Json[]).every((item) => item.status === 'failed'));
  });

  it('returns the same rows as CSV with format=csv', async () => {
    const csv = await get('format=csv');
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(csv.text);
    assert.deepEqual(header?.slice(0, 4), ['jobId', 'deviceId', 'status', 'outcome']);
    assert.equal(rows.length, 30);
    const json = await get('pageSize=100');
    const byDevice = new Map<string, Json>(
      (json.json.items as Json[]).map((item): [string, Json] => [item.deviceId as string, item]),
    );
    for (const row of rows) {
      const item = byDevice.get(row[1] ?? '');
      assert.equal(row[0], jobId);
      assert.equal(row[2], item.status);
      assert.equal(row[3], item.outcome);
      assert.equal(
        row[6],
        item.methodResponse === undefined ? '' : String(item.methodResponse.status),
      );
      if (item.methodResponse !== undefined) {
        assert.deepEqual(JSON.parse(row[7]!), item.methodResponse.payload ?? null);
      }
      assert.equal(row[8], item.error?.code ?? '');
    }
  });

  it('answers 404 for an unknown job, also as CSV', async () => {
    for (const query of ['', 'format=csv']) {
      const response = await callHttp(listDeviceResultsHandler, {
        path: `/api/jobs/nope/devices?${query}`,
        params: { jobId: 'nope' },
      });
      assert.equal(response.status, 404);
    }
  });
});
