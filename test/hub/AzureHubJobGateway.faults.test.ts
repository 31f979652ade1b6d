import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { AzureHubJobGateway } from '../../src/hub/AzureHubJobGateway';
import { createHubClients } from '../../src/hub/createHubClients';
import { HubCallError } from '../../src/core/hubCallError';
import type { JobSpec } from '../../src/jobs/job';
import { startGatewayTestHub, waitForJobEnd, type GatewayTestHub } from './support/gatewayTestHub';

const threeDevices = "deviceId IN ['device-00001','device-00002','device-00003']";

function methodSpec(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    type: 'scheduleDeviceMethod',
    queryCondition: threeDevices,
    cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
    maxExecutionTimeInSeconds: 300,
    ...overrides,
  };
}

/** Records every wait instead of sleeping. */
function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: (ms) => Promise.resolve(void sleeps.push(ms)) };
}

/** Every error message a test saw, searched for secrets at the end. */
const seenMessages: string[] = [];
const hubKeys: string[] = ['c2VjcmV0a2V5'];

async function failureOf(call: Promise<unknown>): Promise<HubCallError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof HubCallError);
    seenMessages.push(error.message);
    return error;
  }
  throw new Error('expected the hub call to fail');
}

describe('AzureHubJobGateway under hub faults (S1: one active job)', () => {
  let hub: GatewayTestHub;

  before(async () => {
    hub = await startGatewayTestHub({
      devices: 3,
      tier: 'S1',
      limits: { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 },
    });
    hubKeys.push(/SharedAccessKey=([^;]+)/.exec(hub.emulator.connectionString)?.[1] ?? 'missing');
  });
  beforeEach(async () => {
    await hub.admin.clearFaults();
    await hub.admin.resetRequestCounts();
  });
  after(() => hub.close());

  it('surfaces 429004 as maxActiveJobs at once, without retrying', async () => {
    const gateway = hub.gateway();
    const holder = randomUUID();
    await gateway.createJob(
      holder,
      methodSpec({ startTime: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    const failure = await failureOf(gateway.createJob(randomUUID(), methodSpec()));
    assert.equal(failure.kind, 'maxActiveJobs');
    assert.equal(failure.details.code, 429004);
    assert.equal((await hub.admin.requestCounts())['jobs.create'], 2);
    await gateway.cancelJob(holder);
  });

  it('retries an injected 503 on create, honouring Retry-After, and the job runs once', async () => {
    const { sleeps, sleep } = recordingSleep();
    const gateway = hub.gateway({ sleep });
    await hub.admin.addFault({ route: 'jobs.create', status: 503, count: 2 });
    const jobId = randomUUID();
    const created = await gateway.createJob(jobId, methodSpec());
    assert.equal(created.jobId, jobId);
    assert.equal((await hub.admin.requestCounts())['jobs.create'], 3);
    // The emulator's 503 carries Retry-After: 1, longer than the test backoff.
    assert.deepEqual(sleeps, [1000, 1000]);
    assert.equal((await waitForJobEnd(gateway, jobId)).status, 'completed');
    const operations = await hub.admin.listOperations({ jobId });
    assert.deepEqual(operations.map((entry) => entry.deviceId).sort(), [
      'device-00001',
      'device-00002',
      'device-00003',
    ]);
  });

  it('retries injected 503s on the jobs and devices queries', async () => {
    const gateway = hub.gateway({ sleep: recordingSleep().sleep });
    await hub.admin.addFault({ route: 'jobs.query', status: 503, count: 1 });
    await hub.admin.addFault({ route: 'devices.query', status: 500, count: 1 });
    const jobs = await gateway.queryJobs({}, { pageSize: 10 });
    assert.ok(jobs.items.length > 0);
    await gateway.queryDeviceResults(jobs.items[0]?.jobId ?? 'x', {}, { pageSize: 10 });
    const counts = await hub.admin.requestCounts();
    assert.equal(counts['jobs.query'], 2);
    assert.equal(counts['devices.query'], 2);
  });

  it('gives up at once when Retry-After is longer than the gateway may wait', async () => {
    const { sleeps, sleep } = recordingSleep();
    const gateway = hub.gateway({ sleep, maxDelayMs: 5000 });
    await hub.admin.addFault({ route: 'jobs.get', status: 429, retryAfterSeconds: 120 });
    const failure = await failureOf(gateway.getJob(randomUUID()));
    assert.equal(failure.kind, 'throttled');
    assert.equal(failure.details.retryAfterMs, 120_000);
    assert.deepEqual(sleeps, []);
    assert.equal((await hub.admin.requestCounts())['jobs.get'], 1);
  });

  it('turns an answer slower than the call timeout into a transient error', async () => {
    const gateway = hub.gateway({ callTimeoutMs: 100, retries: 0 });
    await hub.admin.addFault({ route: 'jobs.get', delayMs: 1000 });
    const failure = await failureOf(gateway.getJob(randomUUID()));
    assert.equal(failure.kind, 'transient');
    assert.match(failure.message, /within 100 ms/);
  });
});

describe('AzureHubJobGateway with the legacy error body format', () => {
  let hub: GatewayTestHub;

  before(async () => {
    hub = await startGatewayTestHub({ devices: 1, tier: 'S1', errorFormat: 'legacy' });
  });
  after(() => hub.close());

  it('reads not found and the active-job limit from legacy bodies', async () => {
    const gateway = hub.gateway();
    const notFound = await failureOf(gateway.getJob(randomUUID()));
    assert.equal(notFound.kind, 'notFound');
    assert.equal(notFound.details.codeName, 'JobNotFound');
    const holder = randomUUID();
    const later = {
      startTime: new Date(Date.now() + 3_600_000).toISOString(),
      queryCondition: '*',
    };
    await gateway.createJob(holder, methodSpec(later));
    const full = await failureOf(gateway.createJob(randomUUID(), methodSpec(later)));
    assert.equal(full.kind, 'maxActiveJobs');
    await gateway.cancelJob(holder);
  });
});

describe('AzureHubJobGateway when the hub cannot be reached', () => {
  it('retries the refused connection and then reports it as transient', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const clients = createHubClients({
      connectionString: 'HostName=localhost;SharedAccessKeyName=owner;SharedAccessKey=c2VjcmV0a2V5',
      endpoint: `https://127.0.0.1:${port}`,
    });
    const { sleeps, sleep } = recordingSleep();
    const gateway = new AzureHubJobGateway(clients, { retries: 2, baseDelayMs: 10, sleep });
    const failure = await failureOf(gateway.getJob('job-1'));
    assert.equal(failure.kind, 'transient');
    assert.match(failure.message, /ECONNREFUSED/);
    assert.equal(sleeps.length, 2);
  });
});

describe('the error messages of every failure above', () => {
  it('puts no key or SAS signature into any error message', () => {
    assert.ok(seenMessages.length >= 6);
    for (const message of seenMessages) {
      for (const key of hubKeys) assert.ok(!message.includes(key), message);
      assert.doesNotMatch(message, /sig=|SharedAccessSignature|SharedAccessKey/);
    }
  });
});
