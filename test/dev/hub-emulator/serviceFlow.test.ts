import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { JobClient, Registry } from 'azure-iothub';
import type { DeviceJobRecord, HubJob } from './support/hubShapes';
import { startTestHub, type TestHub } from './support/startTestHub';
import { waitFor } from './support/waitFor';

const terminal = new Set(['completed', 'failed', 'cancelled']);

/** The seed's monitorJob: getJob until completed, failed or cancelled (bounded). */
function monitorJob(jobClient: JobClient, jobId: string) {
  return waitFor(`job ${jobId} to end`, async () => {
    const job = (await jobClient.getJob(jobId)).jobStatus as HubJob;
    return terminal.has(job.status) ? job : undefined;
  });
}

/** Every page of a devices query, passing the token explicitly (bare next() repeats page 1). */
async function allPages(registry: Registry, sql: string, pageSize: number) {
  const query = registry.createQuery(sql, pageSize);
  const records: DeviceJobRecord[] = [];
  let pages = 0;
  do {
    const page = await query.next(query.continuationToken);
    records.push(...(page.result as DeviceJobRecord[]));
    pages += 1;
  } while (query.hasMoreResults && pages < 100);
  return { records, pages };
}

describe('the seed 003/004 service flow with the unmodified azure-iothub SDK', () => {
  let hub: TestHub;
  const fleetDevices = ['device-00001', 'device-00003', 'device-00004'];
  const deviceIds = [...fleetDevices, 'myDeviceId'];
  const queryCondition = `deviceId IN [${deviceIds.map((id) => `'${id}'`).join(',')}]`;
  const methodJobId = randomUUID();
  const twinJobId = randomUUID();
  let methodJob: HubJob;
  let twinJob: HubJob;

  before(async () => {
    // S2 allows both jobs at once, as the tutorial schedules them back to back.
    hub = await startTestHub({ devices: 5, tier: 'S2', reportedEchoLatencyMs: 50 });
    await hub.registry.create({ deviceId: 'myDeviceId' });
    const startTime = new Date();
    const methodParams = { methodName: 'lockDoor', payload: null, responseTimeoutInSeconds: 15 };
    const twinPatch = { etag: '*', properties: { desired: { building: '43', floor: 3 } } };
    const scheduled = await Promise.all([
      hub.jobClient.scheduleDeviceMethod(methodJobId, queryCondition, methodParams, startTime, 300),
      hub.jobClient.scheduleTwinUpdate(twinJobId, queryCondition, twinPatch, startTime, 300),
    ]);
    assert.deepEqual(
      scheduled.map(({ jobStatus }) => [(jobStatus as HubJob).jobId, (jobStatus as HubJob).status]),
      [
        [methodJobId, 'queued'],
        [twinJobId, 'queued'],
      ],
    );
    [methodJob, twinJob] = await Promise.all([
      monitorJob(hub.jobClient, methodJobId),
      monitorJob(hub.jobClient, twinJobId),
    ]);
  });
  after(() => hub.close());

  it('completes both jobs with statistics that add up', () => {
    for (const job of [methodJob, twinJob]) {
      assert.equal(job.status, 'completed');
      const stats = job.deviceJobStatistics;
      assert.equal(stats.deviceCount, deviceIds.length);
      assert.equal(stats.succeededCount, deviceIds.length);
      const { succeededCount, failedCount, runningCount, pendingCount } = stats;
      assert.equal(succeededCount + failedCount + runningCount + pendingCount, stats.deviceCount);
    }
  });

  it('leaves the new desired values on every twin, and the echoed reported ones after', async () => {
    for (const deviceId of deviceIds) {
      const twin = await waitFor(`${deviceId} to echo the patch`, async () => {
        const { responseBody } = await hub.registry.getTwin(deviceId);
        const reported = responseBody.properties.reported as Record<string, unknown>;
        return reported['building'] === '43' ? responseBody : undefined;
      });
      assert.equal(twin.properties.desired['building'], '43');
      assert.equal(twin.properties.desired['floor'], 3);
      assert.equal(twin.properties.reported['floor'], 3);
    }
  });

  it('answers the devices.jobs query with one record per device and its method response', async () => {
    const sql = `SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${methodJobId}'`;
    const { records, pages } = await allPages(hub.registry, sql, 3);
    assert.equal(pages, 2);
    assert.deepEqual(records.map((record) => record.deviceId).sort(), [...deviceIds].sort());
    for (const record of records) {
      assert.equal(record.jobId, methodJobId);
      assert.equal(record.jobType, 'scheduleDeviceMethod');
      assert.equal(record.status, 'completed');
      const response = record.outcome?.deviceMethodResponse;
      assert.equal(response?.status, 200);
      assert.equal(response.payload['methodName'], 'lockDoor');
      assert.equal(response.payload['deviceId'], record.deviceId);
    }
  });
});
