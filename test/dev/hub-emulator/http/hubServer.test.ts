import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureCertificate } from '../../../../dev/hub-emulator/certificate';
import { deriveHubKey } from '../../../../dev/hub-emulator/http/auth';
import { startHubServer, type HubServer } from '../../../../dev/hub-emulator/http/hubServer';
import { createFakeModel } from '../support/fakeModel';
import { innerError, rawRequest, sasFor, type RawResponse } from '../support/rawHttps';
import { testCertDir } from '../support/testCertDir';

const key = deriveHubKey(3);
const apiVersion = 'api-version=2021-04-12';

describe('the hub HTTP surface (with a stand-in model)', () => {
  let server: HubServer;
  let ca: string;
  const logged: string[] = [];

  before(async () => {
    const certificate = await ensureCertificate(testCertDir);
    ca = certificate.cert;
    server = await startHubServer({
      model: createFakeModel(3),
      policies: [{ name: 'iothubowner', key }],
      tls: certificate,
      options: {
        limits: { jobsOperationsPerMinute: 0, queriesPerMinute: 0 },
        maxBodyBytes: 4096,
        log: (line) => logged.push(line),
      },
    });
  });
  after(() => server.close());

  const call = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) =>
    rawRequest({
      port: server.port,
      ca,
      method,
      path,
      headers: { authorization: sasFor(key), ...headers },
      ...(body === undefined ? {} : { body }),
    });

  function assertHubError(response: RawResponse, status: number, code: number, name: string) {
    assert.equal(response.status, status);
    assert.equal(response.headers['iothub-errorcode'], name);
    assert.equal(innerError(response.text).errorCode, code);
  }

  it('answers JSON with charset utf-8, on success and on error', async () => {
    const success = await call('GET', `/twins/dev1?${apiVersion}`);
    assert.equal(success.status, 200);
    assert.equal(success.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal((JSON.parse(success.text) as { deviceId: string }).deviceId, 'dev1');
    const failure = await call('GET', `/twins/nobody?${apiVersion}`);
    assertHubError(failure, 404, 404001, 'DeviceNotFound');
    assert.equal(failure.headers['content-type'], 'application/json; charset=utf-8');
  });

  it('answers 400 InvalidProtocolVersion without api-version=2021-04-12', async () => {
    assertHubError(await call('GET', '/twins/dev1'), 400, 400000, 'InvalidProtocolVersion');
    const old = await call('GET', '/twins/dev1?api-version=2018-06-30');
    assertHubError(old, 400, 400000, 'InvalidProtocolVersion');
  });

  it('answers 401 without a valid SAS and accepts a bearer token', async () => {
    const noAuth = await rawRequest({
      port: server.port,
      ca,
      method: 'GET',
      path: `/twins/dev1?${apiVersion}`,
    });
    assertHubError(noAuth, 401, 401002, 'IotHubUnauthorizedAccess');
    const bearer = await call('GET', `/twins/dev1?${apiVersion}`, {
      authorization: 'Bearer x.y.z',
    });
    assert.equal(bearer.status, 200);
  });

  it('answers a hub-style 404 for an unknown route and 405 for a wrong method', async () => {
    assertHubError(await call('GET', `/nowhere?${apiVersion}`), 404, 404000, 'GenericNotFound');
    const wrongMethod = await call('DELETE', `/jobs/v2/job-1?${apiVersion}`);
    assertHubError(wrongMethod, 405, 405000, 'GenericMethodNotAllowed');
  });

  it('answers 413 to a body over the cap and 400 to a body that is not JSON', async () => {
    const big = JSON.stringify({ methodName: 'm', payload: 'x'.repeat(10_000) });
    const tooLarge = await call('POST', `/twins/dev1/methods?${apiVersion}`, {}, big);
    assertHubError(tooLarge, 413, 413001, 'MessageTooLarge');
    const notJson = await call('POST', `/twins/dev1/methods?${apiVersion}`, {}, '{nope');
    assertHubError(notJson, 400, 400000, 'GenericBadRequest');
  });

  it('answers 500 ServerError to an unexpected failure, keeping the details in the log', async () => {
    const response = await call(
      'POST',
      `/twins/boom/methods?${apiVersion}`,
      {},
      '{"methodName":"m"}',
    );
    assertHubError(response, 500, 500001, 'ServerError');
    assert.ok(!response.text.includes('internal detail'));
    assert.ok(logged.some((line) => line.includes('internal detail')));
    assert.ok(logged.every((line) => !line.includes('sig=')));
  });

  it('pages job queries by header, with a continuation header only when more pages exist', async () => {
    const first = await call('GET', `/jobs/v2/query?${apiVersion}`, { 'x-ms-max-item-count': '2' });
    assert.equal(first.headers['x-ms-item-type'], 'JobResponse');
    assert.equal(first.headers['x-ms-continuation'], '2');
    assert.deepEqual(JSON.parse(first.text), [{ jobId: 'job-1' }, { jobId: 'job-2' }]);
    const last = await call('GET', `/jobs/v2/query?${apiVersion}`, {
      'x-ms-max-item-count': '2',
      'x-ms-continuation': '2',
    });
    assert.deepEqual(JSON.parse(last.text), [{ jobId: 'job-3' }]);
    assert.equal('x-ms-continuation' in last.headers, false);
  });

  it('also pages job queries with the pageSize and continuationToken parameters', async () => {
    const page = await call('GET', `/jobs/v2/query?${apiVersion}&pageSize=1&continuationToken=1`);
    assert.deepEqual(JSON.parse(page.text), [{ jobId: 'job-2' }]);
    assert.equal(page.headers['x-ms-continuation'], '2');
  });

  it('passes the If-Match etag to a twin patch without its quotes', async () => {
    const response = await call(
      'PATCH',
      `/twins/dev1?${apiVersion}`,
      { 'if-match': '"*"' },
      '{"tags":{}}',
    );
    assert.equal((JSON.parse(response.text) as { ifMatch: string }).ifMatch, '*');
  });
});
