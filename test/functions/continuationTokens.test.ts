import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setServices, type Services } from '../../src/composition';
import { listDeviceResultsHandler } from '../../src/functions/listDeviceResults';
import { listJobsHandler } from '../../src/functions/listJobs';
import { putJobHandler } from '../../src/functions/putJob';
import type { DeviceResult } from '../../src/jobs/job';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp, type CallResult } from './support/invoke';

const twinJob = {
  type: 'scheduleUpdateTwin',
  queryCondition: "tags.floor = 'x'",
  updateTwin: { etag: '*', tags: { floor: 'y' } },
  startTime: '2099-01-01T00:00:00Z',
  maxExecutionTimeInSeconds: 600,
};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (token: string) =>
  JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
const withToken = (query: string, token: string) =>
  `${query}&continuationToken=${encodeURIComponent(token)}`;

function assertRefused(response: CallResult, what: string): void {
  assert.equal(response.status, 400, `${what}: ${response.text}`);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  assert.equal(response.json.code, 'INVALID_CONTINUATION_TOKEN', what);
  assert.deepEqual(
    response.json.errors.map((e: { field: string }) => e.field),
    ['continuationToken'],
    what,
  );
}

describe('continuation tokens on GET /jobs and GET /jobs/{jobId}/devices', () => {
  let stack: LiveStack;
  let services: Services;
  const since = new Date(Date.now() - 1000).toISOString();
  const jobIds = [`tokens-a-${Date.now()}`, `tokens-b-${Date.now()}`, `tokens-c-${Date.now()}`];

  before(async () => {
    stack = await startLiveStack({ devices: 1, tier: 'S1' });
    services = stack.services();
    setServices(services);
    for (const jobId of jobIds) {
      const created = await callHttp(putJobHandler, {
        method: 'PUT',
        path: `/api/jobs/${jobId}`,
        params: { jobId },
        body: twinJob,
      });
      assert.equal(created.status, 202);
    }
    const results = jobIds.slice(0, 2).flatMap((jobId) =>
      ['d1', 'd2', 'd3'].map((deviceId): DeviceResult => ({
        jobId,
        deviceId,
        status: 'completed',
        outcome: 'succeeded',
      })),
    );
    await services.deps.deviceResultStore.upsert(results);
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  const jobsQuery = `type=scheduleUpdateTwin&createdAfter=${since}&pageSize=1`;
  const listJobs = (query: string) => callHttp(listJobsHandler, { path: `/api/jobs?${query}` });
  const devices = (jobId: string, query: string) =>
    callHttp(listDeviceResultsHandler, {
      path: `/api/jobs/${jobId}/devices?${query}`,
      params: { jobId },
    });
  const firstJobsToken = async (): Promise<string> => {
    const page = await listJobs(jobsQuery);
    assert.equal(page.status, 200);
    assert.equal(typeof page.json.continuationToken, 'string');
    return page.json.continuationToken as string;
  };

  it('pages on with a genuine token until the last page', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await listJobs(token === undefined ? jobsQuery : withToken(jobsQuery, token));
      assert.equal(page.status, 200);
      seen.push(...page.json.items.map((item: { jobId: string }) => item.jobId));
      token = page.json.continuationToken;
    } while (token !== undefined);
    assert.deepEqual(seen, [...jobIds].reverse());
  });

  it('refuses forged tokens with 400 INVALID_CONTINUATION_TOKEN, never a 500', async () => {
    const forged = [
      'garbage%%',
      'abc',
      encode({ nextPartitionKey: '%E0%A4%A', nextRowKey: '%' }),
      encode({ v: 1, t: '', h: 'x' }),
      encode({ v: 2, t: 'x', h: 'x' }),
      encode([1, 2]),
    ];
    for (const token of forged) {
      assertRefused(await listJobs(withToken(jobsQuery, token)), `jobs: ${token}`);
      assertRefused(await devices(jobIds[0]!, withToken('pageSize=1', token)), `devices: ${token}`);
    }
  });

  it('refuses a truncated or altered token', async () => {
    const token = await firstJobsToken();
    assertRefused(await listJobs(withToken(jobsQuery, token.slice(0, -4))), 'truncated');
    const envelope = decode(token);
    const inner = decode(envelope.t as string);
    const altered = encode({ ...envelope, t: encode({ ...inner, nextRowKey: '%' }) });
    assertRefused(await listJobs(withToken(jobsQuery, altered)), 'altered');
  });

  it('refuses a token issued for another filter', async () => {
    const token = await firstJobsToken();
    for (const other of [
      `type=scheduleDeviceMethod&createdAfter=${since}&pageSize=1`,
      `type=scheduleUpdateTwin&pageSize=1`,
      `type=scheduleUpdateTwin&createdAfter=${since}&status=accepted&pageSize=1`,
    ]) {
      assertRefused(await listJobs(withToken(other, token)), other);
    }
    const samePageSizeChanged = await listJobs(withToken(jobsQuery.replace('=1', '=5'), token));
    assert.equal(samePageSizeChanged.status, 200, 'the page size may change between pages');
  });

  it("pages one job's devices, and refuses its token for another job, filter or route", async () => {
    const [first = '', second = ''] = jobIds;
    const page = await devices(first, 'pageSize=2');
    assert.equal(page.status, 200);
    const token = page.json.continuationToken as string;
    assert.equal(typeof token, 'string');
    const next = await devices(first, withToken('pageSize=2', token));
    assert.equal(next.status, 200);
    assert.equal(next.json.items.length, 1);
    assertRefused(await devices(second, withToken('pageSize=2', token)), 'another job');
    assertRefused(await devices(first, withToken('status=failed&pageSize=2', token)), 'filter');
    assertRefused(await listJobs(withToken(jobsQuery, token)), 'another route');
  });
});
