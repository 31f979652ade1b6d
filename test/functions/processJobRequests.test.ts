import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueueClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { setServices, type Services } from '../../src/composition';
import { processJobRequestsHandler } from '../../src/functions/processJobRequests';
import { newAcceptedJob } from '../../src/jobs/jobLifecycle';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { testContext } from './support/invoke';

describe('processJobRequests (queue trigger)', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    stack = await startLiveStack({
      devices: 2,
      tier: 'S1',
      limits: { jobsOperationsPerMinute: 0 },
    });
    services = stack.services();
    setServices(services);
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  const poisonQueue = () =>
    new QueueClient(stack.azurite.connectionString, `${services.settings.jobRequestsQueue}-poison`);
  const run = (item: unknown, id: string) =>
    processJobRequestsHandler(item, testContext([], { id, dequeueCount: 1 }));

  it('moves a malformed message to the poison queue with its errors, without failing', async () => {
    await run({ schemaVersion: 1, kind: 'launchRocket', jobId: 'x' }, 'msg-bad-1');
    await run('not json at all', 'msg-bad-2');
    const { peekedMessageItems } = await poisonQueue().peekMessages({ numberOfMessages: 10 });
    const texts = peekedMessageItems.map((m) =>
      Buffer.from(m.messageText, 'base64').toString('utf8'),
    );
    assert.deepEqual(texts, [
      '{"schemaVersion":1,"kind":"launchRocket","jobId":"x"}',
      'not json at all',
    ]);
    const table = TableClient.fromConnectionString(
      stack.azurite.connectionString,
      `${services.settings.tablePrefix}poison`,
      { allowInsecureConnection: true },
    );
    const records = [];
    for await (const entity of table.listEntities()) records.push(entity);
    assert.equal(records.length, 2);
    assert.ok(records.some((record) => JSON.stringify(record).includes('kind')));
  });

  it('submits the job a valid message names', async () => {
    const now = new Date().toISOString();
    await services.deps.jobStore.createPending(
      newAcceptedJob(
        'queued-by-message',
        {
          type: 'scheduleDeviceMethod',
          queryCondition: "deviceId = 'device-00001'",
          cloudToDeviceMethod: { methodName: 'reboot' },
          maxExecutionTimeInSeconds: 60,
        },
        'h',
        now,
      ),
    );
    await run({ schemaVersion: 1, kind: 'submitJob', jobId: 'queued-by-message' }, 'msg-ok-1');
    const job = await services.deps.jobStore.get('queued-by-message');
    assert.notEqual(job?.status, 'accepted');
    assert.ok(job?.submittedAt);
    // Redelivery is harmless: nothing new is created at the hub.
    await run({ schemaVersion: 1, kind: 'submitJob', jobId: 'queued-by-message' }, 'msg-ok-1');
    assert.equal((await stack.admin.requestCounts())['jobs.create'], 1);
  });

  it('completes a message for a job that does not exist', async () => {
    await run({ schemaVersion: 1, kind: 'submitJob', jobId: 'never-stored' }, 'msg-ok-2');
  });
});
