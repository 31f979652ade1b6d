import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { StartHubEmulatorOptions } from '../../../dev/hub-emulator/server';
import type { DeviceJobRecord, HubJob } from './support/hubShapes';
import { startTestHub, type TestHub } from './support/startTestHub';
import { waitFor } from './support/waitFor';

const hubs: TestHub[] = [];
after(() => Promise.all(hubs.map((hub) => hub.close())));

const fleetOptions: StartHubEmulatorOptions = {
  devices: 200,
  tier: 'S3',
  limits: { deviceOperationsPerSecond: 0 },
  transientFailureShare: 0.1,
  permanentFailureShare: 0.1,
  offlineShare: 0.1,
};

async function allRows<T>(hub: TestHub, sql: string): Promise<T[]> {
  const query = hub.registry.createQuery(sql, 100);
  const rows: T[] = [];
  do {
    rows.push(...((await query.next(query.continuationToken)).result as T[]));
  } while (query.hasMoreResults);
  return rows;
}

/** Runs the same method job and answers what each device did, with its fleet's tags. */
async function runSeededJob(seed: number) {
  const hub = await startTestHub({ ...fleetOptions, seed });
  hubs.push(hub);
  await hub.jobClient.scheduleDeviceMethod('same-job', '*', {
    methodName: 'lockDoor',
    responseTimeoutInSeconds: 5,
  });
  await waitFor('the job to end', async () => {
    const job = (await hub.jobClient.getJob('same-job')).jobStatus as HubJob;
    return job.status === 'completed' ? job : undefined;
  });
  const records = await allRows<DeviceJobRecord>(
    hub,
    "SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'same-job'",
  );
  const twins = await allRows<{ deviceId: string; tags: unknown }>(hub, 'SELECT * FROM devices');
  return {
    outcomes: records
      .map(
        (record) =>
          `${record.deviceId} ${record.status} ${record.error?.code ?? ''} ${record.outcome?.deviceMethodResponse?.status ?? ''}`,
      )
      .sort(),
    tags: twins.map((twin) => `${twin.deviceId} ${JSON.stringify(twin.tags)}`).sort(),
  };
}

describe('a seeded hub', () => {
  it('gives the same fleet and the same per-device outcomes for the same seed', async () => {
    const [first, second] = await Promise.all([runSeededJob(42), runSeededJob(42)]);
    assert.equal(first.outcomes.length, 200);
    assert.deepEqual(second.tags, first.tags);
    assert.deepEqual(second.outcomes, first.outcomes);
    const failures = first.outcomes.filter((line) => line.includes(' failed '));
    assert.ok(failures.length > 20 && failures.length < 100, `${failures.length} devices failed`);
  });

  it('gives another fleet and other outcomes for another seed', async () => {
    const [first, other] = await Promise.all([runSeededJob(42), runSeededJob(43)]);
    assert.notDeepEqual(other.tags, first.tags);
    assert.notDeepEqual(other.outcomes, first.outcomes);
  });
});
