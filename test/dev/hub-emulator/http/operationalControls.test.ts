import assert from 'node:assert/strict';
import * as https from 'node:https';
import { after, describe, it } from 'node:test';
import { HubAdminClient } from '../../../../dev/hub-emulator/adminClient';
import { ensureCertificate } from '../../../../dev/hub-emulator/certificate';
import { deriveHubKey } from '../../../../dev/hub-emulator/http/auth';
import { startHubServer, type HubHttpOptions } from '../../../../dev/hub-emulator/http/hubServer';
import type { HubEmulatorOptions } from '../../../../dev/hub-emulator/options';
import { createFakeModel } from '../support/fakeModel';
import { innerError, rawRequest, sasFor } from '../support/rawHttps';
import { testCertDir } from '../support/testCertDir';

const key = deriveHubKey(5);
const connectionString = `HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=${key}`;
const apiVersion = 'api-version=2021-04-12';
const servers: Array<{ close(): Promise<void> }> = [];

async function startFake(options: HubEmulatorOptions & HubHttpOptions = {}) {
  const certificate = await ensureCertificate(testCertDir);
  const model = createFakeModel(3);
  const server = await startHubServer({
    model,
    policies: [{ name: 'iothubowner', key }],
    tls: certificate,
    options,
  });
  servers.push(server);
  const call = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) =>
    rawRequest({
      port: server.port,
      ca: certificate.cert,
      method,
      path: `${path}${path.includes('?') ? '&' : '?'}${apiVersion}`,
      headers: { authorization: sasFor(key), ...headers },
      ...(body === undefined ? {} : { body }),
    });
  const admin = new HubAdminClient({
    endpoint: `https://127.0.0.1:${server.port}`,
    connectionString,
    ca: certificate.cert,
  });
  return { server, model, call, admin, ca: certificate.cert };
}

after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('rate limits', () => {
  it('throttles jobs operations over the per-minute rate with 429001 and Retry-After', async () => {
    const { call } = await startFake({ limits: { jobsOperationsPerMinute: 2 } });
    assert.equal((await call('GET', '/jobs/v2/job-1')).status, 200);
    assert.equal((await call('GET', '/jobs/v2/query')).status, 200);
    const throttled = await call('POST', '/jobs/v2/job-1/cancel');
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['iothub-errorcode'], 'ThrottlingException');
    assert.equal(innerError(throttled.text).errorCode, 429001);
    assert.ok(Number(throttled.headers['retry-after']) >= 1);
    assert.equal(
      (await call('GET', '/twins/dev1')).status,
      200,
      'twin reads are not jobs operations',
    );
  });

  it('throttles device queries at queriesPerMinute times the units', async () => {
    const { call } = await startFake({ limits: { queriesPerMinute: 1 }, units: 2 });
    const query = () => call('POST', '/devices/query', {}, '{"query":"SELECT * FROM devices"}');
    assert.equal((await query()).status, 200);
    assert.equal((await query()).status, 200);
    const throttled = await query();
    assert.equal(throttled.status, 429);
    assert.equal(innerError(throttled.text).errorCode, 429001);
  });
});

describe('the admin API', () => {
  it('injects a fault for count requests on one route, then lets requests through', async () => {
    const { call, admin } = await startFake();
    await admin.addFault({ route: 'jobs.get', status: 503, count: 2 });
    assert.equal((await admin.listFaults())[0]?.remaining, 2);
    const first = await call('GET', '/jobs/v2/job-1');
    assert.equal(first.status, 503);
    assert.equal(first.headers['iothub-errorcode'], 'ServiceUnavailable');
    assert.equal((await call('GET', '/jobs/v2/job-1')).status, 503);
    assert.equal((await call('GET', '/jobs/v2/job-1')).status, 200);
  });

  it('answers slowly when a fault has a delay and no status', async () => {
    const { call, admin } = await startFake();
    await admin.addFault({ route: 'jobs.get', delayMs: 400 });
    const finished: string[] = [];
    const slow = call('GET', '/jobs/v2/job-1').then((response) => {
      finished.push('slow');
      return response;
    });
    await call('GET', '/twins/dev1').then(() => finished.push('fast'));
    assert.equal((await slow).status, 200);
    assert.deepEqual(finished, ['fast', 'slow']);
  });

  it('counts hub requests per route and resets the counts', async () => {
    const { call, admin } = await startFake();
    await call('GET', '/jobs/v2/job-1');
    await call('GET', '/jobs/v2/job-2');
    await call('GET', '/twins/dev1');
    assert.deepEqual(await admin.requestCounts(), { 'jobs.get': 2, 'twins.get': 1 });
    await admin.resetRequestCounts();
    assert.deepEqual(await admin.requestCounts(), {});
  });

  it('takes devices offline and online through the model', async () => {
    const { model, admin } = await startFake();
    await admin.setDeviceOnline('dev1', false);
    assert.equal(model.online.get('dev1'), false);
    await admin.setDeviceOnline('dev1', true);
    assert.equal(model.online.get('dev1'), true);
  });

  it('refuses an invalid fault with 400 and a message naming the problem', async () => {
    const { admin } = await startFake();
    await assert.rejects(
      admin.addFault({ route: 'jobs.get', status: 503, count: 0 }),
      /400.*count/,
    );
  });

  it('requires the hub SAS like the hub routes', async () => {
    const { server, ca } = await startFake();
    const response = await rawRequest({
      port: server.port,
      ca,
      method: 'GET',
      path: '/admin/faults',
    });
    assert.equal(response.status, 401);
  });
});

describe('error format', () => {
  it('answers in the legacy ErrorCode:<Name>;<message> format when asked to', async () => {
    const { call } = await startFake({ errorFormat: 'legacy' });
    const response = await call('GET', '/jobs/v2/missing');
    assert.equal(response.status, 404);
    assert.equal(response.headers['iothub-errorcode'], 'JobNotFound');
    const body = JSON.parse(response.text) as { Message: string; ExceptionMessage: string };
    assert.equal(body.Message, 'ErrorCode:JobNotFound;Job missing not found.');
    assert.match(body.ExceptionMessage, /^Tracking ID:/);
  });
});

describe('response latency', () => {
  it('delays every hub answer but not the admin API', async () => {
    const { call, admin } = await startFake({ responseLatencyMs: 300 });
    const finished: string[] = [];
    const hubCall = call('GET', '/twins/dev1').then((response) => {
      finished.push('hub');
      return response;
    });
    await admin.listFaults().then(() => finished.push('admin'));
    assert.equal((await hubCall).status, 200);
    assert.deepEqual(finished, ['admin', 'hub']);
  });
});

describe('close()', () => {
  it('drops answers still waiting and ends keep-alive sockets', async () => {
    const { server, call, admin, ca } = await startFake({ responseLatencyMs: 0 });
    await admin.addFault({ route: 'jobs.get', delayMs: 60_000 });
    const agent = new https.Agent({ keepAlive: true });
    const idle = await rawRequestOnAgent(agent, server.port, ca);
    assert.equal(idle, 200);
    const pending = call('GET', '/jobs/v2/job-1');
    await new Promise((resolve) => setImmediate(resolve));
    await server.close();
    await assert.rejects(pending, /socket hang up|ECONNRESET/);
    agent.destroy();
  });
});

function rawRequestOnAgent(agent: https.Agent, port: number, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(
        {
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          ca,
          agent,
          path: `/twins/dev1?${apiVersion}`,
          headers: { host: 'localhost', authorization: sasFor(key) },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      )
      .on('error', reject);
  });
}
