import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AzureHubJobGateway } from '../../src/hub/AzureHubJobGateway';
import { createHubClients, type HubClients } from '../../src/hub/createHubClients';
import { HubCallError } from '../../src/core/hubCallError';
import type { JobSpec } from '../../src/jobs/job';
import { startCountingProxy, type CountingProxy } from './support/countingProxy';
import {
  startGatewayTestHub,
  testRetryOptions,
  waitForJobEnd,
  waitUntil,
  type GatewayTestHub,
} from './support/gatewayTestHub';

/** Long enough that nothing in a test outlives it: a delayed request is answered only at close. */
const neverMs = 600_000;

const spec: JobSpec = {
  type: 'scheduleDeviceMethod',
  queryCondition: "deviceId IN ['device-00001','device-00002','device-00003']",
  cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
  maxExecutionTimeInSeconds: 300,
};

async function failureOf(call: Promise<unknown>): Promise<HubCallError> {
  const error = await call.then(
    () => assert.fail('expected the hub call to fail'),
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof HubCallError);
  return error;
}

describe('AzureHubJobGateway when a hub call times out', () => {
  let hub: GatewayTestHub;
  let proxy: CountingProxy;

  before(async () => {
    hub = await startGatewayTestHub({
      devices: 3,
      tier: 'S1',
      limits: { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 },
    });
    proxy = await startCountingProxy(hub.emulator);
  });
  beforeEach(async () => {
    await hub.admin.clearFaults();
    await hub.admin.resetRequestCounts();
  });
  after(async () => {
    await proxy.close();
    await hub.close();
  });

  /** A gateway whose sockets pass through the counting proxy. */
  async function proxiedGateway(
    callTimeoutMs: number,
    clients?: HubClients,
  ): Promise<AzureHubJobGateway> {
    const sdkClients =
      clients ??
      createHubClients({
        connectionString: hub.emulator.connectionString,
        endpoint: proxy.endpoint,
        ca: await readFile(hub.emulator.caFile),
      });
    return new AzureHubJobGateway(sdkClients, { ...testRetryOptions, callTimeoutMs, retries: 0 });
  }

  it('closes the connection of the timed-out call, so the hub sees no socket left open', async () => {
    const gateway = await proxiedGateway(500);
    await hub.admin.addFault({ route: 'jobs.get', delayMs: neverMs });
    const failure = await failureOf(gateway.getJob(randomUUID()));
    assert.equal(failure.kind, 'transient');
    assert.match(failure.message, /within 500 ms/);
    // Without the abort the socket waits for the delayed answer, long past this wait.
    await waitUntil('the timed-out connection to close', () =>
      Promise.resolve(proxy.openConnections() === 0),
    );
    // The client is still usable: the next call opens a fresh connection.
    const notFound = await failureOf(gateway.getJob(randomUUID()));
    assert.equal(notFound.kind, 'notFound');
  });

  it('leaves a concurrent call on the same SDK clients alone when another one times out', async () => {
    const clients = createHubClients({
      connectionString: hub.emulator.connectionString,
      endpoint: proxy.endpoint,
      ca: await readFile(hub.emulator.caFile),
    });
    const impatient = await proxiedGateway(300, clients);
    const patient = await proxiedGateway(10_000, clients);
    await hub.admin.addFault({ route: 'jobs.get', delayMs: neverMs });
    await hub.admin.addFault({ route: 'jobs.get', delayMs: 1000 });
    const timedOut = failureOf(impatient.getJob(randomUUID()));
    await waitUntil(
      'the first read to reach the hub',
      async () => ((await hub.admin.requestCounts())['jobs.get'] ?? 0) >= 1,
    );
    // Still waiting for its delayed answer when the first call gives up.
    const answered = failureOf(patient.getJob(randomUUID()));
    assert.equal((await timedOut).kind, 'transient');
    assert.equal((await answered).kind, 'notFound');
  });

  it('adopts a create the hub carried out although its answer came too late, sending no second create', async () => {
    const jobId = randomUUID();
    // Before the retry, wait until the slow create has been carried out at the hub.
    const sleep = () =>
      waitUntil('the first create to land', () =>
        Promise.resolve(hub.emulator.model.jobs.find(jobId) !== undefined),
      );
    const gateway = hub.gateway({ callTimeoutMs: 1000, sleep });
    await hub.admin.addFault({ route: 'jobs.create', delayMs: 2000 });
    const created = await gateway.createJob(jobId, spec);
    assert.equal(created.jobId, jobId);
    assert.equal(created.type, 'scheduleDeviceMethod');
    assert.deepEqual(await hub.admin.requestCounts(), { 'jobs.create': 1, 'jobs.get': 1 });
    assert.equal((await waitForJobEnd(gateway, jobId)).status, 'completed');
    // One job at the hub: each device ran the method once.
    const operations = await hub.admin.listOperations({ jobId });
    assert.deepEqual(operations.map((entry) => entry.deviceId).sort(), [
      'device-00001',
      'device-00002',
      'device-00003',
    ]);
  });

  it('creates again when the read after a timed-out create finds no job at the hub', async () => {
    const jobId = randomUUID();
    const sleeps: number[] = [];
    const gateway = hub.gateway({
      callTimeoutMs: 1000,
      sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
    });
    // The first create is held, then refused: the hub never carries it out.
    await hub.admin.addFault({ route: 'jobs.create', delayMs: neverMs, status: 503 });
    const created = await gateway.createJob(jobId, spec);
    assert.equal(created.jobId, jobId);
    assert.equal(sleeps.length, 1);
    assert.deepEqual(await hub.admin.requestCounts(), { 'jobs.create': 2, 'jobs.get': 1 });
    await waitForJobEnd(gateway, jobId);
  });

  it('does not read before retrying a create the hub refused with a 4xx', async () => {
    const jobId = randomUUID();
    const gateway = hub.gateway({ sleep: () => Promise.resolve() });
    await hub.admin.addFault({ route: 'jobs.create', status: 429, retryAfterSeconds: 0 });
    await gateway.createJob(jobId, spec);
    assert.deepEqual(await hub.admin.requestCounts(), { 'jobs.create': 2 });
    await waitForJobEnd(gateway, jobId);
  });
});
