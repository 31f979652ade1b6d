import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'azure-iothub';
import { redirectToEndpoint } from '../../../src/hub/createHubClients';
import { assertHubError } from './support/hubAssertions';
import type { DeviceJobRecord, HubJob } from './support/hubShapes';
import { sdkFailure, startTestHub, type TestHub } from './support/startTestHub';
import { waitFor } from './support/waitFor';

const lockDoor = { methodName: 'lockDoor' };

describe('the admin API', () => {
  let hub: TestHub;
  let methodClient: Client;
  before(async () => {
    hub = await startTestHub({ tier: 'S3', devices: 4, limits: { deviceOperationsPerSecond: 0 } });
    methodClient = Client.fromConnectionString(hub.hub.connectionString);
    redirectToEndpoint(methodClient, hub.hub.endpoint, hub.ca);
  });
  after(() => hub.close());

  const runJob = async (jobId: string, condition: string) => {
    await hub.jobClient.scheduleDeviceMethod(jobId, condition, lockDoor);
    return waitFor(`job ${jobId}`, async () => {
      const job = (await hub.jobClient.getJob(jobId)).jobStatus as HubJob;
      return job.status === 'completed' ? job : undefined;
    });
  };

  describe('faults', () => {
    it('fails count requests on the route with the given status, then recovers', async () => {
      await hub.admin.addFault({ route: 'jobs.create', status: 503, count: 2 });
      for (const jobId of ['fault-1', 'fault-2']) {
        const error = await sdkFailure(hub.jobClient.scheduleDeviceMethod(jobId, '*', lockDoor));
        assertHubError(error, 503, 503001, 'ServiceUnavailable');
      }
      const created = await hub.jobClient.scheduleDeviceMethod('fault-3', '*', lockDoor);
      assert.equal(created.jobStatus.status, 'queued');
    });

    it('answers with the given code and code name', async () => {
      await hub.admin.addFault({
        route: 'twins.get',
        status: 500,
        code: 500008,
        codeName: 'GenericTimeout',
      });
      assertHubError(
        await sdkFailure(hub.registry.getTwin('device-00001')),
        500,
        500008,
        'GenericTimeout',
      );
      assert.equal(
        (await hub.registry.getTwin('device-00001')).responseBody.deviceId,
        'device-00001',
      );
    });

    it('delays an answer before failing it, while other requests go on', async () => {
      await hub.admin.addFault({ route: 'jobs.get', status: 429, delayMs: 300 });
      const finished: string[] = [];
      const slow = sdkFailure(hub.jobClient.getJob('fault-3')).finally(() => finished.push('slow'));
      await hub.registry.getTwin('device-00002').finally(() => finished.push('fast'));
      const error = await slow;
      assert.deepEqual(finished, ['fast', 'slow']);
      assertHubError(error, 429, 429001, 'ThrottlingException');
      assert.equal(error.response?.headers['retry-after'], '1');
    });

    it('applies a * fault to any hub route, and lists and clears faults', async () => {
      await hub.admin.addFault({ route: '*', status: 500, count: 5 });
      await hub.admin.addFault({ route: 'jobs.get', status: 503 });
      assertHubError(
        await sdkFailure(hub.registry.getTwin('device-00003')),
        500,
        500001,
        'ServerError',
      );
      const listed = await hub.admin.listFaults();
      assert.deepEqual(
        listed.map((fault) => [fault.route, fault.remaining]),
        [
          ['*', 4],
          ['jobs.get', 1],
        ],
      );
      await hub.admin.clearFaults();
      assert.deepEqual(await hub.admin.listFaults(), []);
      assert.equal(
        (await hub.registry.getTwin('device-00003')).responseBody.deviceId,
        'device-00003',
      );
    });
  });

  describe('offline and online devices', () => {
    it('takes a device offline for direct methods and jobs, then back online', async () => {
      await hub.admin.setDeviceOnline('device-00004', false);
      const error = await sdkFailure(methodClient.invokeDeviceMethod('device-00004', lockDoor));
      assertHubError(error, 404, 404103, 'DeviceNotOnline');
      const job = await runJob('offline-job', "deviceId IN ['device-00003', 'device-00004']");
      assert.deepEqual(
        [job.deviceJobStatistics.succeededCount, job.deviceJobStatistics.failedCount],
        [1, 1],
      );
      const query = hub.registry.createQuery(
        "SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'offline-job'",
      );
      const records = (await query.next(query.continuationToken)).result as DeviceJobRecord[];
      const offline = records.find((record) => record.deviceId === 'device-00004');
      assert.equal(offline?.status, 'failed');
      assert.equal(offline.error?.code, 'DeviceNotOnline');
      await hub.admin.setDeviceOnline('device-00004', true);
      const answer = await methodClient.invokeDeviceMethod('device-00004', lockDoor);
      assert.equal((answer.result as { status: number }).status, 200);
    });
  });

  describe('the operation log', () => {
    it('shows which device got which operation, filtered by job, device and sequence', async () => {
      await hub.admin.clearOperations();
      await runJob('logged-job', "deviceId IN ['device-00001', 'device-00002']");
      const entries = await hub.admin.listOperations({ jobId: 'logged-job' });
      assert.deepEqual(
        entries
          .map((entry) => [entry.deviceId, entry.operation, entry.methodName, entry.outcome])
          .sort(),
        [
          ['device-00001', 'method', 'lockDoor', 'succeeded'],
          ['device-00002', 'method', 'lockDoor', 'succeeded'],
        ],
      );
      const [first] = entries;
      assert.ok(first && !Number.isNaN(Date.parse(first.at)));
      const second = await hub.admin.listOperations({ deviceId: 'device-00002' });
      assert.deepEqual(
        second.map((entry) => entry.jobId),
        ['logged-job'],
      );
      const later = await hub.admin.listOperations({
        sinceSeq: Math.max(...entries.map((entry) => entry.seq)),
      });
      assert.deepEqual(later, []);
      await hub.admin.clearOperations();
      assert.deepEqual(await hub.admin.listOperations(), []);
    });
  });

  describe('request counts', () => {
    it('counts hub requests per route until reset', async () => {
      await hub.admin.resetRequestCounts();
      await hub.jobClient.getJob('logged-job');
      await hub.jobClient.getJob('logged-job');
      const query = hub.jobClient.createQuery(undefined, undefined, 10);
      await query.next(query.continuationToken);
      assert.deepEqual(await hub.admin.requestCounts(), { 'jobs.get': 2, 'jobs.query': 1 });
      await hub.admin.resetRequestCounts();
      assert.deepEqual(await hub.admin.requestCounts(), {});
    });
  });
});

describe('the admin API: answer counts', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ tier: 'S1', devices: 2, limits: { deviceOperationsPerSecond: 0 } });
  });
  after(() => hub.close());

  it('counts answers per route by success status and error code, until reset', async () => {
    const inAnHour = new Date(Date.now() + 3600_000);
    // A scheduled job holds S1's only slot, so the next create is refused with 429004.
    await hub.jobClient.scheduleDeviceMethod('slot-holder', '*', lockDoor, inAnHour, 600);
    const refused = await sdkFailure(hub.jobClient.scheduleDeviceMethod('no-slot', '*', lockDoor));
    assertHubError(refused, 429, 429004, 'ThrottlingMaxActiveJobCountExceeded');
    await hub.admin.addFault({ route: 'jobs.get', status: 429 });
    await sdkFailure(hub.jobClient.getJob('slot-holder'));
    await hub.jobClient.getJob('slot-holder');
    assert.deepEqual(await hub.admin.answerCounts(), {
      'jobs.create': { '200': 1, '429004': 1 },
      'jobs.get': { '200': 1, '429001': 1 },
    });
    assert.deepEqual(await hub.admin.requestCounts(), { 'jobs.create': 2, 'jobs.get': 2 });
    await hub.admin.resetRequestCounts();
    assert.deepEqual(await hub.admin.answerCounts(), {});
  });
});
