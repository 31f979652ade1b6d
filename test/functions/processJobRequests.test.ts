import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QueueClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { parseHostJson } from '../../dev/host/hostJson';
import { QueueMessageHandler } from '../../dev/host/queueMessageHandler';
import { setServices, type Services } from '../../src/composition';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { maxDequeueCount } from '../../src/functions/hostQueueConfig';
import {
  processJobRequestsHandler,
  UnknownWorkMessageError,
} from '../../src/functions/processJobRequests';
import { storedMessageTextKey } from '../../src/functions/receivedMessage';
import { newAcceptedJob } from '../../src/jobs/jobLifecycle';
import { fromJsonProperties } from '../../src/storage/chunkedJson';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { testContext } from './support/invoke';

const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

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
    await poisonQueue().createIfNotExists();
    await queue().createIfNotExists();
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });
  beforeEach(async () => {
    await poisonQueue().clearMessages();
  });

  const queue = () =>
    new QueueClient(stack.azurite.connectionString, services.settings.jobRequestsQueue);
  const poisonQueue = () =>
    new QueueClient(stack.azurite.connectionString, `${services.settings.jobRequestsQueue}-poison`);
  const poisonTexts = async (): Promise<string[]> => {
    const { peekedMessageItems } = await poisonQueue().peekMessages({ numberOfMessages: 32 });
    return peekedMessageItems.map((m) => m.messageText);
  };
  /** The poison table's `errors` for one message id, or undefined when it has no row. */
  const poisonRow = async (messageId: string): Promise<string[] | undefined> => {
    const table = TableClient.fromConnectionString(
      stack.azurite.connectionString,
      `${services.settings.tablePrefix}poison`,
      { allowInsecureConnection: true },
    );
    for await (const row of table.listEntities<Record<string, unknown>>()) {
      if (row.messageId === messageId) return fromJsonProperties(row, 'errors') as string[];
    }
    return undefined;
  };
  const run = (item: unknown, metadata: Record<string, unknown>, logs: string[] = []) =>
    processJobRequestsHandler(item, testContext(logs, metadata));

  describe('a malformed message of a known kind', () => {
    it('is moved to poison on first sight with its errors recorded, without failing', async () => {
      const item = { schemaVersion: 1, kind: 'submitJob', jobId: 'a b', extra: 1 };
      await run(item, { id: 'msg-bad-1', dequeueCount: 1 });
      assert.deepEqual(await poisonTexts(), [encode(JSON.stringify(item))]);
      const errors = await poisonRow('msg-bad-1');
      assert.ok(errors?.some((error) => error.startsWith('jobId: ')));
      assert.ok(errors?.some((error) => error.startsWith('extra: ')));
    });

    it('is copied exactly as stored when the host hands the stored text over', async () => {
      const stored = encode('{ "schemaVersion" : 1, "kind": "submitJob" }');
      await run(
        { schemaVersion: 1, kind: 'submitJob' },
        { id: 'msg-bad-2', dequeueCount: 1, [storedMessageTextKey]: stored },
      );
      assert.deepEqual(await poisonTexts(), [stored]);
      assert.deepEqual(await poisonRow('msg-bad-2'), ['jobId: is required']);
    });

    it('keeps the quotes of a JSON string whose content is itself JSON, without the stored text', async () => {
      // The worker hands `"42"` over as the string 42; a bare 42 would have come as a number.
      await run('42', { id: 'msg-bad-3', dequeueCount: 1 });
      await run('not json at all', { id: 'msg-bad-4', dequeueCount: 1 });
      assert.deepEqual(await poisonTexts(), [encode('"42"'), encode('not json at all')]);
    });
  });

  describe('a message of a kind or schemaVersion this version does not know', () => {
    it('is left for retry, not poisoned, before its last dequeue', async () => {
      const item = { schemaVersion: 1, kind: 'openWindow', scheduleId: 's' };
      await assert.rejects(
        run(item, { id: 'msg-new-1', dequeueCount: maxDequeueCount() - 1 }),
        (error: unknown) =>
          error instanceof UnknownWorkMessageError && error.message.includes('"openWindow"'),
      );
      assert.deepEqual(await poisonTexts(), []);
      assert.equal(await poisonRow('msg-new-1'), undefined);
    });

    it('is explained in the poison table on its last dequeue, and still left to the host', async () => {
      const item = { schemaVersion: 7, kind: 'submitJob', jobId: 'j' };
      await assert.rejects(
        run(item, { id: 'msg-new-2', dequeueCount: maxDequeueCount() }),
        /unknown schemaVersion 7/,
      );
      assert.deepEqual(await poisonRow('msg-new-2'), ['unknown schemaVersion 7']);
      assert.deepEqual(await poisonTexts(), []);
    });
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
    const message = { schemaVersion: 1, kind: 'submitJob', jobId: 'queued-by-message' };
    await run(message, { id: 'msg-ok-1', dequeueCount: 1 });
    const job = await services.deps.jobStore.get('queued-by-message');
    assert.notEqual(job?.status, 'accepted');
    assert.ok(job?.submittedAt);
    // Redelivery is harmless: nothing new is created at the hub.
    await run(message, { id: 'msg-ok-1', dequeueCount: 2 });
    assert.equal((await stack.admin.requestCounts())['jobs.create'], 1);
    assert.equal(await poisonRow('msg-ok-1'), undefined);
  });

  it('records a submitJob for a job that does not exist in poison, with a warning naming it', async () => {
    const logs: string[] = [];
    const message = { schemaVersion: 1, kind: 'submitJob', jobId: 'never-stored' };
    await run(message, { id: 'msg-missing-1', dequeueCount: 1 }, logs);
    assert.deepEqual(await poisonRow('msg-missing-1'), ['jobId: no job never-stored exists']);
    assert.deepEqual(await poisonTexts(), [encode(JSON.stringify(message))]);
    assert.ok(logs.some((line) => line.startsWith('warning: ') && line.includes('never-stored')));
  });

  describe('through the local host', () => {
    const config = parseHostJson({
      version: '2.0',
      extensions: { queues: { maxDequeueCount: maxDequeueCount(), visibilityTimeout: '00:00:00' } },
    }).queues;
    const handler = () =>
      new QueueMessageHandler({
        name: 'processJobRequests',
        options: {
          queueName: services.settings.jobRequestsQueue,
          connection: 'AzureWebJobsStorage',
          handler: processJobRequestsHandler,
        },
        queue: queue(),
        poisonQueue: poisonQueue(),
        config,
        log: () => undefined,
      });
    /** Receives and handles until the queue is empty, as the host's poll loop would. */
    const drain = async (): Promise<void> => {
      const host = handler();
      for (;;) {
        const { receivedMessageItems } = await queue().receiveMessages({ numberOfMessages: 32 });
        if (receivedMessageItems.length === 0) return;
        for (const message of receivedMessageItems) await host.handle(message);
      }
    };

    it('poisons random bytes and a JSON string byte-identical to what was sent', async () => {
      const sent = [randomBytes(40).toString('base64'), encode('"just a string"')];
      for (const text of sent) await queue().sendMessage(text);
      await drain();
      assert.deepEqual((await poisonTexts()).sort(), [...sent].sort());
    });

    it('handles a message exactly as the previous version wrote it', async () => {
      // Earlier tests' jobs hold S1's one slot until a poll sees them end and frees it.
      await pollActiveJobs(services.deps, services.pollOptions);
      await services.deps.jobStore.createPending(
        newAcceptedJob(
          'written-by-previous',
          {
            type: 'scheduleDeviceMethod',
            queryCondition: "deviceId = 'device-00002'",
            cloudToDeviceMethod: { methodName: 'reboot' },
            maxExecutionTimeInSeconds: 60,
          },
          'h',
          new Date().toISOString(),
        ),
      );
      await queue().sendMessage(
        encode('{"schemaVersion":1,"kind":"submitJob","jobId":"written-by-previous"}'),
      );
      await drain();
      assert.ok((await services.deps.jobStore.get('written-by-previous'))?.submittedAt);
      assert.deepEqual(await poisonTexts(), []);
    });

    it('moves an unknown kind to poison after its last dequeue, explained in the table', async () => {
      const sent = encode('{"schemaVersion":1,"kind":"openWindow"}');
      const { messageId } = await queue().sendMessage(sent);
      await drain();
      assert.deepEqual(await poisonTexts(), [sent]);
      assert.deepEqual(await poisonRow(messageId), ['unknown kind "openWindow"']);
    });
  });
});
