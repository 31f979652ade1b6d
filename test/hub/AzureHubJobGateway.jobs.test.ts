import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AzureHubJobGateway } from '../../src/hub/AzureHubJobGateway';
import type { JobSpec } from '../../src/jobs/job';
import type { HubJobSnapshot } from '../../src/jobs/ports';
import { startGatewayTestHub, waitForJobEnd, type GatewayTestHub } from './support/gatewayTestHub';

const allFive =
  "deviceId IN ['device-00001','device-00002','device-00003','device-00004','device-00005']";

function methodSpec(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    type: 'scheduleDeviceMethod',
    queryCondition: allFive,
    cloudToDeviceMethod: {
      methodName: 'reboot',
      payload: { delay: 1 },
      responseTimeoutInSeconds: 10,
    },
    maxExecutionTimeInSeconds: 300,
    ...overrides,
  };
}

const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('AzureHubJobGateway jobs against the emulator', () => {
  let hub: GatewayTestHub;
  let gateway: AzureHubJobGateway;

  before(async () => {
    hub = await startGatewayTestHub({
      devices: 5,
      tier: 'S3',
      limits: {
        maxActiveJobs: 0,
        jobsOperationsPerMinute: 0,
        queriesPerMinute: 0,
        deviceOperationsPerSecond: 0,
      },
    });
    gateway = hub.gateway();
  });
  after(() => hub.close());

  it('creates a method job that the hub runs to completion on every targeted device', async () => {
    const jobId = randomUUID();
    const created = await gateway.createJob(jobId, methodSpec());
    assert.equal(created.jobId, jobId);
    assert.equal(created.type, 'scheduleDeviceMethod');
    assert.equal(created.status, 'queued');
    const ended = await waitForJobEnd(gateway, jobId);
    assert.equal(ended.status, 'completed');
    assert.equal(ended.statistics.deviceCount, 5);
    assert.equal(ended.statistics.succeededCount, 5);
    assert.ok(ended.endTime !== undefined && ended.createdTime !== undefined);
  });

  it('creates a twin job with the default etag and the patch reaches the twins', async () => {
    const jobId = randomUUID();
    const spec: JobSpec = {
      type: 'scheduleUpdateTwin',
      queryCondition: "deviceId = 'device-00002'",
      updateTwin: { properties: { desired: { firmware: jobId } } },
      maxExecutionTimeInSeconds: 300,
    };
    await gateway.createJob(jobId, spec);
    const ended = await waitForJobEnd(gateway, jobId);
    assert.equal(ended.status, 'completed');
    const page = await gateway.queryDeviceResults(jobId, {}, {});
    assert.deepEqual(
      page.items.map((result) => [result.deviceId, result.outcome]),
      [['device-00002', 'succeeded']],
    );
    const { responseBody: twin } = await hub.clients.registry.getTwin('device-00002');
    assert.equal(twin.properties.desired['firmware'], jobId);
  });

  it('reports a job that has not ended without an end time', async () => {
    const jobId = randomUUID();
    const created = await gateway.createJob(jobId, methodSpec({ startTime: inOneHour() }));
    assert.equal(created.endTime, undefined);
    assert.ok(['queued', 'scheduled'].includes(created.status));
    await gateway.cancelJob(jobId);
  });

  it('cancels a job, and cancelling it again is harmless', async () => {
    const jobId = randomUUID();
    await gateway.createJob(jobId, methodSpec({ startTime: inOneHour() }));
    assert.equal((await gateway.cancelJob(jobId)).status, 'cancelled');
    assert.equal((await gateway.cancelJob(jobId)).status, 'cancelled');
    assert.equal((await gateway.getJob(jobId)).status, 'cancelled');
  });

  it('answers notFound for a job the hub does not know', async () => {
    await assert.rejects(gateway.getJob(randomUUID()), { name: 'HubCallError', kind: 'notFound' });
  });

  it('adopts the hub job when the same job is created again under its id', async () => {
    const jobId = randomUUID();
    const spec = methodSpec({ startTime: inOneHour() });
    await gateway.createJob(jobId, spec);
    const again = await gateway.createJob(jobId, spec);
    assert.equal(again.jobId, jobId);
    await gateway.cancelJob(jobId);
  });

  it('throws a conflict when a different job already holds the id', async () => {
    const jobId = randomUUID();
    await gateway.createJob(jobId, methodSpec({ startTime: inOneHour() }));
    const different = methodSpec({ queryCondition: "deviceId = 'device-00001'" });
    await assert.rejects(gateway.createJob(jobId, different), { kind: 'conflict' });
    const otherMethod = methodSpec({ cloudToDeviceMethod: { methodName: 'lockDoor' } });
    await assert.rejects(gateway.createJob(jobId, otherMethod), { kind: 'conflict' });
    await gateway.cancelJob(jobId);
  });

  it('refuses a job id outside the hub rule before calling the hub', async () => {
    const before = await hub.admin.requestCounts();
    await assert.rejects(gateway.getJob('../devices/x'), { kind: 'badRequest' });
    await assert.rejects(gateway.createJob('a b', methodSpec()), { kind: 'badRequest' });
    assert.deepEqual(await hub.admin.requestCounts(), before);
  });
});

describe('AzureHubJobGateway.queryJobs paging against the emulator', () => {
  let hub: GatewayTestHub;
  let gateway: AzureHubJobGateway;
  const jobCount = 250;
  const twinJobIds = new Set<string>();
  const cancelledIds = new Set<string>();

  before(async () => {
    hub = await startGatewayTestHub({
      devices: 2,
      tier: 'S3',
      limits: { maxActiveJobs: 0, jobsOperationsPerMinute: 0, queriesPerMinute: 0 },
    });
    gateway = hub.gateway();
    const ids = Array.from({ length: jobCount }, () => randomUUID());
    for (let start = 0; start < ids.length; start += 25) {
      await Promise.all(
        ids.slice(start, start + 25).map((jobId, index) => {
          const twin = (start + index) % 5 === 0;
          if (twin) twinJobIds.add(jobId);
          const spec: JobSpec = twin
            ? {
                type: 'scheduleUpdateTwin',
                queryCondition: "deviceId = 'none'",
                updateTwin: { tags: { a: 1 } },
                maxExecutionTimeInSeconds: 60,
                startTime: inOneHour(),
              }
            : methodSpec({ queryCondition: "deviceId = 'none'", startTime: inOneHour() });
          return gateway.createJob(jobId, spec);
        }),
      );
    }
    for (const jobId of ids.slice(0, 7)) {
      await gateway.cancelJob(jobId);
      cancelledIds.add(jobId);
    }
  });
  after(() => hub.close());

  async function allPages(
    filter: Parameters<AzureHubJobGateway['queryJobs']>[0],
    pageSize: number,
  ): Promise<{ jobs: HubJobSnapshot[]; pages: number }> {
    const jobs: HubJobSnapshot[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await gateway.queryJobs(filter, {
        pageSize,
        ...(token ? { continuationToken: token } : {}),
      });
      jobs.push(...page.items);
      token = page.continuationToken;
      pages += 1;
    } while (token !== undefined && pages <= jobCount);
    return { jobs, pages };
  }

  it('walks every job exactly once through the continuation token', async () => {
    const { jobs, pages } = await allPages({}, 100);
    const ids = jobs.map((job) => job.jobId);
    assert.equal(ids.length, jobCount);
    assert.equal(new Set(ids).size, jobCount);
    assert.equal(pages, 3);
  });

  it('ends with a page that carries no continuation token', async () => {
    const first = await gateway.queryJobs({}, { pageSize: jobCount });
    assert.equal(first.items.length, jobCount);
    assert.equal(first.continuationToken, undefined);
  });

  it('filters by status and by type at the hub', async () => {
    const cancelled = await allPages({ status: 'cancelled' }, 3);
    assert.deepEqual(new Set(cancelled.jobs.map((job) => job.jobId)), cancelledIds);
    assert.ok(cancelled.jobs.every((job) => job.status === 'cancelled'));
    const twins = await allPages({ type: 'scheduleUpdateTwin' }, 20);
    assert.deepEqual(new Set(twins.jobs.map((job) => job.jobId)), twinJobIds);
  });
});
