import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueueClient } from '@azure/storage-queue';
import { parseHostJson } from '../../dev/host/hostJson';
import { QueueMessageHandler } from '../../dev/host/queueMessageHandler';
import { setServices, type Services } from '../../src/composition';
import { createRolloutHandler } from '../../src/functions/createRollout';
import { listRolloutDevicesHandler } from '../../src/functions/listRolloutDevices';
import { pollJobsHandler } from '../../src/functions/pollJobs';
import { processJobRequestsHandler } from '../../src/functions/processJobRequests';
import { rolloutDevicesCsvColumns } from '../../src/rollouts/rolloutDevicesCsv';
import { terminalRolloutStatuses, type StoredRollout } from '../../src/rollouts/rollout';
import { driveUntil, startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp, testContext } from './support/invoke';
import { parseCsv } from './support/parseCsv';

const unlimited = { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 };
const deviceIds = Array.from({ length: 25 }, (_, i) => `device-${String(i + 1).padStart(5, '0')}`);
const failedOutcomes = new Set(['failed', 'offline', 'timedOut']);

/** The fields of a listed row the assertions read. */
interface Row {
  rolloutId: string;
  deviceId: string;
  attempt: number;
  jobId: string;
  outcome: string;
  error?: { code: string };
}

describe('GET /rollouts/{rolloutId}/devices', () => {
  let stack: LiveStack;
  let services: Services;
  let rollout: StoredRollout;

  before(async () => {
    stack = await startLiveStack({
      devices: 30,
      tier: 'S1',
      permanentFailureShare: 0.3,
      limits: unlimited,
    });
    services = stack.services();
    setServices(services);
    const created = await callHttp(createRolloutHandler, {
      method: 'POST',
      path: '/api/rollouts',
      body: {
        operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
        targets: { deviceIds },
        waves: { count: 10 },
      },
    });
    assert.equal(created.status, 202, created.text);
    const rolloutId = created.json.rolloutId as string;
    await driveUntil("the rollout ends and its chunks' results are imported", drive, async () => {
      const stored = await services.deps.rollouts.get(rolloutId);
      if (stored === undefined || !terminalRolloutStatuses.has(stored.status)) return false;
      rollout = stored;
      return (await services.deps.jobStore.listActive()).length === 0;
    });
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  /** One round of what the host does: the visible queue messages, then a poll tick. */
  async function drive(): Promise<void> {
    const queue = new QueueClient(
      stack.azurite.connectionString,
      services.settings.jobRequestsQueue,
    );
    await queue.createIfNotExists();
    const host = new QueueMessageHandler({
      name: 'processJobRequests',
      options: {
        queueName: services.settings.jobRequestsQueue,
        connection: 'AzureWebJobsStorage',
        handler: processJobRequestsHandler,
      },
      queue,
      poisonQueue: new QueueClient(
        stack.azurite.connectionString,
        `${services.settings.jobRequestsQueue}-poison`,
      ),
      config: parseHostJson({ version: '2.0' }).queues,
      log: () => undefined,
    });
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    for (const message of receivedMessageItems) await host.handle(message);
    await pollJobsHandler({} as never, testContext([]));
  }

  const get = (query: string, rolloutId = rollout.rolloutId) =>
    callHttp(listRolloutDevicesHandler, {
      path: `/api/rollouts/${rolloutId}/devices?${query}`,
      params: { rolloutId },
    });

  async function allPages(query: string): Promise<{ items: Row[]; pages: number }> {
    const items: Row[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const tokenParam =
        token === undefined ? '' : `&continuationToken=${encodeURIComponent(token)}`;
      const page = await get(`pageSize=7${query}${tokenParam}`);
      assert.equal(page.status, 200, page.text);
      items.push(...(page.json.items as Row[]));
      token = page.json.continuationToken;
      pages++;
    } while (token !== undefined);
    return { items, pages };
  }

  it('lists every device once, in device-id order, with its attempt and chunk job', async () => {
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    const { items, pages } = await allPages('');
    assert.equal(pages, 4);
    assert.deepEqual(
      items.map((row) => row.deviceId),
      deviceIds,
    );
    const chunkJobs = new Set(rollout.waves.flatMap((wave) => wave.jobIds));
    assert.equal(chunkJobs.size, 3);
    for (const row of items) {
      assert.equal(row.rolloutId, rollout.rolloutId);
      assert.equal(row.attempt, 1);
      assert.ok(chunkJobs.has(row.jobId), row.jobId);
    }
  });

  it("agrees with the rollout's statistics, and filters by outcome", async () => {
    const { items } = await allPages('');
    const succeeded = items.filter((row) => row.outcome === 'succeeded');
    const failed = items.filter((row) => failedOutcomes.has(row.outcome));
    assert.ok(failed.length > 0 && succeeded.length > 0);
    assert.equal(succeeded.length, rollout.statistics.succeededCount);
    assert.equal(failed.length, rollout.statistics.failedCount);
    assert.equal(items.length, rollout.statistics.deviceCount);
    assert.deepEqual(await services.deps.rolloutDeviceResults.countByOutcome(rollout.rolloutId), {
      succeeded: succeeded.length,
      ...Object.fromEntries(
        [...failedOutcomes]
          .map((o) => [o, items.filter((row) => row.outcome === o).length])
          .filter(([, n]) => n !== 0),
      ),
    });
    const filtered = await allPages('&outcome=succeeded');
    assert.deepEqual(filtered.items, succeeded);
  });

  it('streams the same rows as CSV, with the attempt and chunk job columns', async () => {
    const { items } = await allPages('');
    const csv = await get('format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const [header, ...rows] = parseCsv(csv.text);
    assert.deepEqual(header, [...rolloutDevicesCsvColumns]);
    const column = (name: (typeof rolloutDevicesCsvColumns)[number]) =>
      rolloutDevicesCsvColumns.indexOf(name);
    assert.deepEqual(
      rows.map((row) => [
        row[column('deviceId')],
        row[column('attempt')],
        row[column('jobId')],
        row[column('outcome')],
        row[column('errorCode')],
      ]),
      items.map((row) => [
        row.deviceId,
        String(row.attempt),
        row.jobId,
        row.outcome,
        row.error?.code ?? '',
      ]),
    );
    const failedCsv = parseCsv((await get('format=csv&outcome=failed')).text).slice(1);
    assert.equal(failedCsv.length, items.filter((row) => row.outcome === 'failed').length);
  });

  it('answers 404 for an unknown rollout and 400 for a token of another listing', async () => {
    assert.equal((await get('', 'no-such-rollout')).status, 404);
    assert.equal((await get('format=csv', 'no-such-rollout')).status, 404);
    const first = await get('pageSize=2&outcome=succeeded');
    const token = first.json.continuationToken as string;
    assert.ok(token);
    const foreign = await get(`pageSize=2&continuationToken=${encodeURIComponent(token)}`);
    assert.equal(foreign.status, 400);
    assert.equal(foreign.json.code, 'INVALID_CONTINUATION_TOKEN');
    const badOutcome = await get('outcome=broken');
    assert.equal(badOutcome.status, 400);
    assert.match(badOutcome.text, /outcome/);
  });
});
