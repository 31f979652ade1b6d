import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Client } from 'azure-iothub';
import { redirectToEndpoint } from '../../../src/hub/createHubClients';
import { assertHubError } from './support/hubAssertions';
import type { DeviceJobRecord, HubJob } from './support/hubShapes';
import { sdkFailure, startTestHub, type TestHub } from './support/startTestHub';
import { waitFor } from './support/waitFor';

const lockDoor = { methodName: 'lockDoor', payload: null, responseTimeoutInSeconds: 10 };
const idsCondition = (ids: readonly string[]) =>
  `deviceId IN [${ids.map((id) => `'${id}'`).join(', ')}]`;

describe('sticky device behaviours', () => {
  let hub: TestHub;
  let methodClient: Client;
  before(async () => {
    hub = await startTestHub({ tier: 'S3', devices: 24, limits: { deviceOperationsPerSecond: 0 } });
    methodClient = Client.fromConnectionString(hub.hub.connectionString);
    redirectToEndpoint(methodClient, hub.hub.endpoint, hub.ca);
  });
  afterEach(() => hub.admin.clearBehaviours());
  after(() => hub.close());

  const finished = (jobId: string) =>
    waitFor(`job ${jobId}`, async () => {
      const job = (await hub.jobClient.getJob(jobId)).jobStatus as HubJob;
      return job.status === 'completed' ? job : undefined;
    });
  const runMethodJob = async (jobId: string, ids: readonly string[]) => {
    await hub.jobClient.scheduleDeviceMethod(jobId, idsCondition(ids), lockDoor);
    return finished(jobId);
  };
  const runTwinJob = async (jobId: string, ids: readonly string[], desired: object) => {
    const patch = { etag: '*', properties: { desired } };
    await hub.jobClient.scheduleTwinUpdate(jobId, idsCondition(ids), patch, new Date(), 60);
    return finished(jobId);
  };
  const recordsOf = async (jobId: string) => {
    const query = hub.registry.createQuery(
      `SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`,
    );
    const records = (await query.next(query.continuationToken)).result as DeviceJobRecord[];
    return new Map(records.map((record) => [record.deviceId, record]));
  };
  const loggedOutcomes = async (jobId: string) =>
    (await hub.admin.listOperations({ jobId }))
      .map((entry) => [entry.deviceId, entry.operation, entry.outcome])
      .sort();
  const invokeStatus = async (deviceId: string) =>
    ((await methodClient.invokeDeviceMethod(deviceId, lockDoor)).result as { status: number })
      .status;

  describe('fail', () => {
    it('answers the given method status, directly and in a job, until cleared', async () => {
      const failing = ['device-00001', 'device-00002'];
      const answer = await hub.admin.setBehaviour(failing, { fail: { status: 503 } });
      assert.deepEqual(answer, { devices: 2 });
      assert.equal(await invokeStatus('device-00001'), 503);

      const job = await runMethodJob('fail-method', [...failing, 'device-00003']);
      assert.deepEqual(
        [job.deviceJobStatistics.succeededCount, job.deviceJobStatistics.failedCount],
        [1, 2],
      );
      const records = await recordsOf('fail-method');
      for (const deviceId of failing) {
        const record = records.get(deviceId);
        assert.equal(record?.status, 'failed');
        assert.equal(record.outcome?.deviceMethodResponse?.status, 503);
        assert.equal(record.error?.code, 'DeviceMethodFailed');
      }
      assert.equal(records.get('device-00003')?.status, 'completed');
      assert.deepEqual(await loggedOutcomes('fail-method'), [
        ['device-00001', 'method', 'failed'],
        ['device-00002', 'method', 'failed'],
        ['device-00003', 'method', 'succeeded'],
      ]);

      // Sticky: a second call still fails; cleared, the device answers as seeded.
      assert.equal(await invokeStatus('device-00002'), 503);
      assert.deepEqual(await hub.admin.clearBehaviours(['device-00002']), { devices: 1 });
      assert.equal(await invokeStatus('device-00002'), 200);
      assert.equal(await invokeStatus('device-00001'), 503);
    });

    it('fails the twin update of a twin job, leaving the desired properties untouched', async () => {
      await hub.admin.setBehaviour(['device-00004'], { fail: {} });
      const job = await runTwinJob('fail-twin', ['device-00004', 'device-00005'], { mode: 'eco' });
      assert.deepEqual(
        [job.deviceJobStatistics.succeededCount, job.deviceJobStatistics.failedCount],
        [1, 1],
      );
      const record = (await recordsOf('fail-twin')).get('device-00004');
      assert.equal(record?.status, 'failed');
      assert.equal(record.error?.code, 'ServerError');
      const twin = (await hub.registry.getTwin('device-00004')).responseBody;
      assert.equal(twin.properties.desired['mode'], undefined);
      assert.deepEqual(await loggedOutcomes('fail-twin'), [
        ['device-00004', 'twinUpdate', 'failed'],
        ['device-00005', 'twinUpdate', 'succeeded'],
      ]);
    });
  });

  describe('timeOut', () => {
    it('answers 504 directly and fails the job device with GatewayTimeout', async () => {
      await hub.admin.setBehaviour(['device-00006'], { timeOut: true });
      const error = await sdkFailure(methodClient.invokeDeviceMethod('device-00006', lockDoor));
      assertHubError(error, 504, 504101, 'GatewayTimeout');
      await runMethodJob('time-out', ['device-00006', 'device-00007']);
      const records = await recordsOf('time-out');
      assert.equal(records.get('device-00006')?.error?.code, 'GatewayTimeout');
      assert.equal(records.get('device-00007')?.status, 'completed');
      assert.deepEqual(await loggedOutcomes('time-out'), [
        ['device-00006', 'method', 'timedOut'],
        ['device-00007', 'method', 'succeeded'],
      ]);
    });
  });

  describe('offline, for the devices a condition selects when it is set', () => {
    it('answers 404103 for each selected device, and not for one that matches later', async () => {
      const condition = "tags.building = '43'";
      const count = hub.registry.createQuery(`SELECT COUNT() AS n FROM devices WHERE ${condition}`);
      const [{ n }] = (await count.next(count.continuationToken)).result as [{ n: number }];
      assert.ok(n > 0 && n < 24, `the seeded fleet has ${n} devices in building 43`);
      assert.deepEqual(await hub.admin.setBehaviour(condition, { offline: true }), { devices: n });

      const listed = await hub.admin.listBehaviours();
      assert.equal(listed.length, n);
      assert.ok(listed.every((entry) => entry.behaviour.offline === true));
      const [first] = listed;
      assert.ok(first);
      const error = await sdkFailure(methodClient.invokeDeviceMethod(first.deviceId, lockDoor));
      assertHubError(error, 404, 404103, 'DeviceNotOnline');
      const device = (await hub.registry.get(first.deviceId)).responseBody;
      assert.equal(device.connectionState, 'Disconnected');

      await hub.registry.create({ deviceId: 'late-43' });
      await hub.registry.updateTwin('late-43', { tags: { building: '43' } }, '*');
      assert.equal(await invokeStatus('late-43'), 200);
      assert.deepEqual(await hub.admin.clearBehaviours(condition), { devices: n + 1 });
      assert.equal(await invokeStatus(first.deviceId), 200);
    });
  });

  describe('neverReport', () => {
    it('stores a desired patch without ever echoing it into reported properties', async () => {
      await hub.admin.setBehaviour(['device-00008'], { neverReport: true });
      await runTwinJob('never-report', ['device-00008', 'device-00009'], { level: 7 });
      // Echoes are applied in the order they were written, and device-00008 came first.
      await waitFor('device-00009 to report', async () => {
        const twin = (await hub.registry.getTwin('device-00009')).responseBody;
        return twin.properties.reported['level'] === 7 ? true : undefined;
      });
      const silent = (await hub.registry.getTwin('device-00008')).responseBody;
      assert.equal(silent.properties.desired['level'], 7);
      assert.equal(silent.properties.reported['level'], undefined);
      assert.deepEqual(await loggedOutcomes('never-report'), [
        ['device-00008', 'twinUpdate', 'succeeded'],
        ['device-00009', 'twinUpdate', 'succeeded'],
      ]);
    });
  });

  describe('latencyMs', () => {
    it('makes the device answer after its latency, while other devices answer at once', async () => {
      await hub.admin.setBehaviour(['device-00010'], { latencyMs: 400 });
      const order: string[] = [];
      const slow = invokeStatus('device-00010').finally(() => order.push('slow'));
      await invokeStatus('device-00011').finally(() => order.push('fast'));
      assert.equal(await slow, 200);
      assert.deepEqual(order, ['fast', 'slow']);
    });
  });

  describe('many devices online and offline at once', () => {
    it('switches the listed devices and keeps their other behaviour', async () => {
      const ids = ['device-00013', 'device-00014'];
      await hub.admin.setBehaviour(ids, { fail: { status: 500 }, latencyMs: 0 });
      assert.deepEqual(await hub.admin.setDevicesOnline(ids, false), { devices: 2 });
      await runMethodJob('switched-off', ids);
      const records = await recordsOf('switched-off');
      assert.deepEqual(
        ids.map((id) => records.get(id)?.error?.code),
        ['DeviceNotOnline', 'DeviceNotOnline'],
      );
      assert.deepEqual(await hub.admin.listBehaviours(), [
        {
          deviceId: 'device-00013',
          behaviour: { fail: { status: 500 }, latencyMs: 0, offline: true },
        },
        {
          deviceId: 'device-00014',
          behaviour: { fail: { status: 500 }, latencyMs: 0, offline: true },
        },
      ]);
      await hub.admin.setDevicesOnline(idsCondition(ids), true);
      assert.equal(await invokeStatus('device-00013'), 500);
    });

    it('clears the devices named in the query string of DELETE', async () => {
      await hub.admin.setBehaviour(['device-00017', 'device-00018'], { timeOut: true });
      const path = '/admin/behaviours?deviceId=device-00017&deviceId=no-such-device';
      const wrong = await hub.raw('DELETE', path, { authorization: 'Bearer test' });
      assert.equal(wrong.status, 404);
      const right = await hub.raw('DELETE', '/admin/behaviours?deviceId=device-00017', {
        authorization: 'Bearer test',
      });
      assert.deepEqual([right.status, JSON.parse(right.text)], [200, { devices: 1 }]);
      assert.deepEqual(
        (await hub.admin.listBehaviours()).map((entry) => entry.deviceId),
        ['device-00018'],
      );
    });

    it('clears every behaviour at once, bringing every device back online', async () => {
      await hub.admin.setBehaviour(['device-00015'], { timeOut: true });
      await hub.admin.setDevicesOnline(['device-00016'], false);
      assert.deepEqual(await hub.admin.clearBehaviours(), { devices: 2 });
      assert.deepEqual(await hub.admin.listBehaviours(), []);
      assert.deepEqual(
        [await invokeStatus('device-00015'), await invokeStatus('device-00016')],
        [200, 200],
      );
    });
  });

  describe('bad requests', () => {
    const refused = async (call: Promise<unknown>, pattern: RegExp) => {
      await assert.rejects(call, pattern);
      assert.deepEqual(await hub.admin.listBehaviours(), []);
    };

    it('refuses an unknown device and changes none of the listed ones', () =>
      refused(
        hub.admin.setBehaviour(['device-00017', 'no-such-device'], { timeOut: true }),
        /failed with 404: .*no-such-device/,
      ));

    it('refuses two answer modes at once', () =>
      refused(
        hub.admin.setBehaviour(['device-00017'], { timeOut: true, offline: true }),
        /failed with 400: .*fail, timeOut and offline exclude each other/,
      ));

    it('refuses an empty behaviour, a non-error status and an unknown field', async () => {
      await refused(hub.admin.setBehaviour(['device-00017'], {}), /needs one of fail/);
      await refused(
        hub.admin.setBehaviour(['device-00017'], { fail: { status: 200 } }),
        /failed with 400: .*fail\.status/,
      );
      await refused(
        hub.admin.setBehaviour(['device-00017'], { sleepy: true } as never),
        /failed with 400: .*sleepy/,
      );
    });

    it('refuses a condition the query language cannot parse, naming the column', () =>
      refused(
        hub.admin.setBehaviour("tags.ring == 'canary'", { offline: true }),
        /failed with 400: .*column 12/,
      ));
  });
});
