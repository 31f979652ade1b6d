import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AzureHubJobGateway } from '../../src/hub/AzureHubJobGateway';
import type { DeviceResult } from '../../src/jobs/job';
import { startGatewayTestHub, waitForJobEnd, type GatewayTestHub } from './support/gatewayTestHub';

const deviceCount = 230;

describe('AzureHubJobGateway.queryDeviceResults against the emulator', () => {
  let hub: GatewayTestHub;
  let gateway: AzureHubJobGateway;
  const jobId = randomUUID();
  const offlineDevices = ['device-00007', 'device-00100'];

  before(async () => {
    hub = await startGatewayTestHub({
      devices: deviceCount,
      tier: 'S3',
      seed: 7,
      permanentFailureShare: 0.2,
      limits: { deviceOperationsPerSecond: 0, queriesPerMinute: 0 },
    });
    gateway = hub.gateway();
    for (const deviceId of offlineDevices) await hub.admin.setDeviceOnline(deviceId, false);
    await gateway.createJob(jobId, {
      type: 'scheduleDeviceMethod',
      queryCondition: '*',
      cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 5 },
      maxExecutionTimeInSeconds: 300,
    });
    await waitForJobEnd(gateway, jobId);
  });
  after(() => hub.close());

  async function allPages(
    filter: { failedOnly?: boolean; excludeFailed?: boolean },
    pageSize: number,
  ): Promise<{ results: DeviceResult[]; pages: number }> {
    const results: DeviceResult[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await gateway.queryDeviceResults(jobId, filter, {
        pageSize,
        ...(token ? { continuationToken: token } : {}),
      });
      results.push(...page.items);
      token = page.continuationToken;
      pages += 1;
    } while (token !== undefined && pages <= deviceCount);
    return { results, pages };
  }

  it('pages through every device of the job exactly once', async () => {
    const { results, pages } = await allPages({}, 50);
    const ids = results.map((result) => result.deviceId);
    assert.equal(ids.length, deviceCount);
    assert.equal(new Set(ids).size, deviceCount);
    assert.equal(pages, Math.ceil(deviceCount / 50));
    assert.ok(results.every((result) => result.jobId === jobId));
  });

  it('splits the devices into failed and not failed, together covering each exactly once', async () => {
    const failed = await allPages({ failedOnly: true }, 40);
    const others = await allPages({ excludeFailed: true }, 40);
    assert.ok(failed.results.length > 0 && others.results.length > 0);
    assert.ok(failed.results.every((result) => result.status === 'failed'));
    assert.ok(others.results.every((result) => result.status !== 'failed'));
    const ids = [...failed.results, ...others.results].map((result) => result.deviceId);
    assert.equal(ids.length, deviceCount);
    assert.equal(new Set(ids).size, deviceCount);
  });

  it('agrees with the job statistics the hub reports', async () => {
    const job = await gateway.getJob(jobId);
    const failed = await allPages({ failedOnly: true }, 100);
    assert.equal(failed.results.length, job.statistics.failedCount);
    assert.equal(job.statistics.deviceCount, deviceCount);
  });

  it('classifies unreachable devices as offline and the others that failed as failed', async () => {
    const { results } = await allPages({ failedOnly: true }, 100);
    const offline = results.filter((result) => result.outcome === 'offline');
    assert.deepEqual(offline.map((result) => result.deviceId).sort(), offlineDevices);
    assert.ok(offline.every((result) => result.error !== undefined));
    const otherFailures = results.filter((result) => result.outcome !== 'offline');
    assert.ok(otherFailures.length > 0);
    assert.ok(otherFailures.every((result) => result.outcome === 'failed'));
  });

  it('keeps the method response of the devices that answered', async () => {
    const { results } = await allPages({ excludeFailed: true }, 100);
    assert.ok(results.every((result) => result.outcome === 'succeeded'));
    assert.ok(results.every((result) => result.methodResponse !== undefined));
    assert.ok(results.every((result) => result.endTimeUtc !== undefined));
  });

  it('answers an empty last page for a job without devices', async () => {
    const page = await gateway.queryDeviceResults(randomUUID(), {}, { pageSize: 10 });
    assert.deepEqual(page, { items: [] });
  });
});
