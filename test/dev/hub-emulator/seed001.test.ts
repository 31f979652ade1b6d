import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startedCount, type DeviceJobRecord, type HubJob } from './support/hubShapes';
import { hubKeyOf, startTestHub, type TestHub } from './support/startTestHub';
import { sasFor } from './support/rawHttps';
import { waitFor } from './support/waitFor';

const contosoHost = 'contoso-hub-1.azure-devices.net';

describe('the request/response examples of seed 001', () => {
  let hub: TestHub;
  before(async () => {
    // S2: job02 is created while job01 may still run (S1 allows one active job).
    hub = await startTestHub({ hostName: contosoHost, devices: 3, tier: 'S2' });
    await hub.registry.create({ deviceId: 'test-device' });
  });
  after(() => hub.close());

  const put = (jobId: string, body: string) =>
    hub.raw(
      'PUT',
      `/jobs/v2/${jobId}?api-version=2021-04-12`,
      {
        authorization: sasFor(hubKeyOf(hub.hub), 3600, contosoHost),
        'content-type': 'application/json; charset=utf-8',
      },
      body,
    );

  it('answers the documented direct-method job PUT with 200 {jobId, type, status: queued}', async () => {
    const response = await put(
      'job01',
      `{
    "jobId": "job01",
    "type": "scheduleDeviceMethod",
    "cloudToDeviceMethod": {
        "methodName": "testMethod",
        "payload": {},
        "responseTimeoutInSeconds": 30
    },
    "queryCondition": "*",
    "startTime": "2019-05-04T15:53:00.077Z",
    "maxExecutionTimeInSeconds": 20
}`,
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    const body = JSON.parse(response.text) as Record<string, unknown>;
    assert.deepEqual(
      [body['jobId'], body['type'], body['status']],
      ['job01', 'scheduleDeviceMethod', 'queued'],
    );
  });

  it('answers the documented twin-update job PUT the same way and updates test-device', async () => {
    const response = await put(
      'job02',
      `{
    "jobId": "job02",
    "type": "scheduleUpdateTwin",
    "updateTwin": {
      "properties": {
        "desired": {
          "test1": "value1"
        }
      },
     "etag": "*"
     },
    "queryCondition": "deviceId = 'test-device'",
    "startTime": "2019-05-08T12:19:56.868Z",
    "maxExecutionTimeInSeconds": 20
}`,
    );
    const body = JSON.parse(response.text) as Record<string, unknown>;
    assert.deepEqual(
      [body['jobId'], body['type'], body['status']],
      ['job02', 'scheduleUpdateTwin', 'queued'],
    );
    const twin = await waitFor('the desired property on test-device', async () => {
      const { responseBody } = await hub.registry.getTwin('test-device');
      return responseBody.properties.desired['test1'] === 'value1' ? responseBody : undefined;
    });
    assert.equal(twin.deviceId, 'test-device');
  });

  it('lists both jobs through the documented query parameters', async () => {
    const response = await hub.raw('GET', '/jobs/v2/query?api-version=2021-04-12&pageSize=1', {
      authorization: sasFor(hubKeyOf(hub.hub), 3600, contosoHost),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-ms-item-type'], 'JobResponse');
    assert.equal((JSON.parse(response.text) as unknown[]).length, 1);
    assert.ok(response.headers['x-ms-continuation']);
  });
});

describe('the job lifecycle', () => {
  let hub: TestHub;
  const deviceCount = 60;
  before(async () => {
    hub = await startTestHub({
      devices: deviceCount,
      tier: 'S3',
      limits: { deviceOperationsPerSecond: 20 },
    });
  });
  after(() => hub.close());

  const jobOf = async (jobId: string) => (await hub.jobClient.getJob(jobId)).jobStatus as HubJob;

  it('shows a future-start job queued at create, then scheduled, and cancels it to cancelled', async () => {
    const startTime = new Date(Date.now() + 3_600_000);
    const method = { methodName: 'lockDoor' };
    const created = await hub.jobClient.scheduleDeviceMethod(
      'future-job',
      '*',
      method,
      startTime,
      600,
    );
    assert.equal(created.jobStatus.status, 'queued');
    await waitFor('the scheduled status', async () =>
      (await jobOf('future-job')).status === 'scheduled' ? true : undefined,
    );
    const cancelled = await hub.jobClient.cancelJob('future-job');
    assert.equal(cancelled.jobStatus.status, 'cancelled');
    assert.equal((await jobOf('future-job')).status, 'cancelled');
    assert.deepEqual(await hub.admin.listOperations({ jobId: 'future-job' }), []);
  });

  it('stops the remaining devices of a job cancelled mid-run', async () => {
    await hub.jobClient.scheduleDeviceMethod('cancel-mid-run', '*', { methodName: 'lockDoor' });
    await waitFor('the first device operations', async () =>
      (await hub.admin.listOperations({ jobId: 'cancel-mid-run' })).length >= 5 ? true : undefined,
    );
    const cancelled = (await hub.jobClient.cancelJob('cancel-mid-run')).jobStatus as HubJob;
    assert.equal(cancelled.status, 'cancelled');
    const startedBeforeCancel = startedCount(cancelled.deviceJobStatistics);
    await waitFor('in-flight operations to finish', async () =>
      (await jobOf('cancel-mid-run')).deviceJobStatistics.runningCount === 0 ? true : undefined,
    );
    await sleep(300); // at 20 operations/s, six more would have started by now had it not stopped
    const operations = await hub.admin.listOperations({ jobId: 'cancel-mid-run' });
    assert.equal(operations.length, startedBeforeCancel, 'only operations started before cancel');
    assert.ok(operations.length < deviceCount);
    const devicesWithOperations = new Set(operations.map((entry) => entry.deviceId));
    assert.equal(devicesWithOperations.size, operations.length, 'no device ran twice');
    const sql = "SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'cancel-mid-run'";
    const query = hub.registry.createQuery(sql, 100);
    const records = (await query.next(query.continuationToken)).result as DeviceJobRecord[];
    const canceled = records.filter((record) => record.status === 'canceled');
    assert.equal(records.length, deviceCount);
    assert.equal(canceled.length, deviceCount - operations.length);
    assert.ok(canceled.every((record) => !devicesWithOperations.has(record.deviceId)));
  });

  it('fails a job that exceeds maxExecutionTimeInSeconds, leaving unreached devices failed', async () => {
    const method = { methodName: 'lockDoor' };
    await hub.jobClient.scheduleDeviceMethod('too-long', '*', method, new Date(), 1);
    const job = await waitFor('the job to end', async () => {
      const current = await jobOf('too-long');
      return current.status === 'running' ? undefined : current;
    });
    assert.equal(job.status, 'failed');
    assert.match(String(job.failureReason), /maxExecutionTimeInSeconds/);
    const stats = job.deviceJobStatistics;
    assert.equal(stats.deviceCount, deviceCount);
    assert.ok(stats.failedCount > 0);
    assert.equal(stats.succeededCount + stats.failedCount, deviceCount);
    const operations = await hub.admin.listOperations({ jobId: 'too-long' });
    assert.equal(operations.length, stats.succeededCount);
  });
});
