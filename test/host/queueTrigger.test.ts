import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InvocationContext } from '@azure/functions';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { parseHostJson } from '../../dev/host/hostJson';
import { startLocalHost, type LocalHost } from '../../dev/host/startLocalHost';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { waitUntil } from './waitUntil';

const maxDequeueCount = 3;
const hostJson = parseHostJson({
  version: '2.0',
  extensions: {
    queues: { batchSize: 4, newBatchThreshold: 2, maxDequeueCount, visibilityTimeout: '00:00:00' },
  },
});

interface Call {
  item: unknown;
  metadata: InvocationContext['triggerMetadata'];
}

const encode = (text: string): string => Buffer.from(text).toString('base64');

describe('queue triggers in the local host (against Azurite)', () => {
  let azurite: RunningAzurite;
  let host: LocalHost;
  let queue: QueueClient;
  let poison: QueueClient;
  const calls: Call[] = [];
  const lines: string[] = [];

  before(async () => {
    azurite = await startAzurite();
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString);
    queue = service.getQueueClient('work-items');
    poison = service.getQueueClient('work-items-poison');
    host = await startLocalHost({
      declarations: [
        {
          kind: 'storageQueue',
          name: 'work',
          options: {
            queueName: '%WORK_QUEUE%',
            connection: 'AzureWebJobsStorage',
            handler: (item: unknown, context: InvocationContext) => {
              calls.push({ item, metadata: context.triggerMetadata });
              if (typeof item === 'object' && item !== null && 'fail' in item)
                throw new Error('always fails');
            },
          },
        },
      ],
      settings: {
        HOST_PORT: '0',
        WORK_QUEUE: 'work-items',
        AzureWebJobsStorage: azurite.connectionString,
        QUEUE_POLL_MIN_MS: '20',
        QUEUE_POLL_MAX_MS: '100',
      },
      hostJson,
      writeLine: (line) => lines.push(line),
    });
    await waitUntil('the trigger to create its queue', async () => (await queue.exists()) === true);
  });
  after(async () => {
    await host?.close();
    await azurite?.stop();
  });

  const callsWith = (marker: string): Call[] =>
    calls.filter((call) => JSON.stringify(call.item).includes(marker));
  const poisonTexts = async (): Promise<string[]> =>
    (await poison.exists())
      ? (await poison.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map(
          (m) => m.messageText,
        )
      : [];
  const queueLength = async (): Promise<number> =>
    (await queue.getProperties()).approximateMessagesCount ?? -1;

  it('hands the decoded JSON to the function and deletes the message on success', async () => {
    const sent = await queue.sendMessage(encode(JSON.stringify({ marker: 'ok-1', n: 1 })));
    await waitUntil('the invocation', () => callsWith('ok-1').length === 1);
    await waitUntil('the message to be deleted', async () => (await queueLength()) === 0);
    const [call] = callsWith('ok-1');
    assert.deepEqual(call?.item, { marker: 'ok-1', n: 1 });
    assert.equal(call?.metadata?.id, sent.messageId);
    assert.equal(call?.metadata?.dequeueCount, 1);
    assert.equal(typeof call?.metadata?.popReceipt, 'string');
    assert.equal(typeof call?.metadata?.insertionTime, 'string');
  });

  it('hands over a message that is not JSON as a string', async () => {
    await queue.sendMessage(encode('plain text marker-s'));
    await waitUntil('the invocation', () => callsWith('marker-s').length === 1);
    assert.equal(callsWith('marker-s')[0]?.item, 'plain text marker-s');
  });

  it('retries a failing message maxDequeueCount times, then moves it to <queue>-poison', async () => {
    const text = encode(JSON.stringify({ marker: 'fail-1', fail: true }));
    await queue.sendMessage(text);
    await waitUntil('the poison copy', async () => (await poisonTexts()).includes(text));
    await waitUntil('the original to be deleted', async () => (await queueLength()) === 0);
    // The host logs the last failure after it has moved the message, so wait for that line too.
    await waitUntil('the last failure to be logged', () =>
      lines.some((line) => line.includes(`failed ${maxDequeueCount} of ${maxDequeueCount}`)),
    );
    const attempts = callsWith('fail-1').map((call) => call.metadata?.dequeueCount);
    assert.deepEqual(attempts, [1, 2, 3]);
  });

  it('moves a message that is not valid base64 to poison at once, without invoking', async () => {
    const text = '{"marker":"not-base64"}';
    await queue.sendMessage(text);
    await waitUntil('the poison copy', async () => (await poisonTexts()).includes(text));
    await waitUntil('the original to be deleted', async () => (await queueLength()) === 0);
    // As above: the line is written after the move, so the queue can be empty before it.
    await waitUntil('the move to be logged', () =>
      lines.some((line) => line.includes('it is not valid base64')),
    );
    assert.equal(callsWith('not-base64').length, 0);
  });
});
