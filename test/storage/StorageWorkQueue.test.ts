import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueueClient } from '@azure/storage-queue';
import type { WorkMessage } from '../../src/core/workQueue';
import {
  maxDelaySeconds,
  StorageWorkQueue,
  toVisibilityTimeout,
} from '../../src/storage/StorageWorkQueue';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

const visibleWithinMs = Number(process.env.TEST_QUEUE_VISIBLE_WITHIN_MS ?? 10_000);

async function receiveDecoded(queue: QueueClient): Promise<unknown[]> {
  const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
  return receivedMessageItems.map(
    (item) => JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as unknown,
  );
}

describe('StorageWorkQueue', () => {
  const clients = useAzuriteStorage();
  const newQueue = async (): Promise<{ work: StorageWorkQueue; queue: QueueClient }> => {
    const queue = await clients().queue(`${uniquePrefix()}-requests`);
    return { work: new StorageWorkQueue(() => Promise.resolve(queue)), queue };
  };
  const message = (jobId: string): WorkMessage => ({ schemaVersion: 1, kind: 'submitJob', jobId });

  it('sends base64 JSON that a receiver decodes back to the message', async () => {
    const { work, queue } = await newQueue();
    await work.send(message('job-1'));
    assert.deepEqual(await receiveDecoded(queue), [message('job-1')]);
  });

  it('keeps a delayed message invisible at first and delivers it after the delay', async () => {
    const { work, queue } = await newQueue();
    await work.send(message('job-2'), { delaySeconds: 1 });
    assert.deepEqual(await receiveDecoded(queue), []);
    assert.equal((await queue.getProperties()).approximateMessagesCount, 1);

    const deadline = Date.now() + visibleWithinMs;
    let received: unknown[] = [];
    while (received.length === 0 && Date.now() < deadline) {
      await sleep(200);
      received = await receiveDecoded(queue);
    }
    assert.deepEqual(received, [message('job-2')]);
  });

  it('refuses a message over 64 KiB after base64, naming sizes, and sends nothing', async () => {
    const { work, queue } = await newQueue();
    const big = message('x'.repeat(50_000));
    await assert.rejects(work.send(big), /after base64; a queue takes at most 65536/);
    assert.equal((await queue.getProperties()).approximateMessagesCount, 0);
  });
});

describe('toVisibilityTimeout', () => {
  it('rounds up, treats missing or negative delays as none, and caps at 7 days minus a minute', () => {
    assert.equal(toVisibilityTimeout(undefined), 0);
    assert.equal(toVisibilityTimeout(-5), 0);
    assert.equal(toVisibilityTimeout(Number.NaN), 0);
    assert.equal(toVisibilityTimeout(1.2), 2);
    assert.equal(toVisibilityTimeout(30 * 24 * 3600), maxDelaySeconds);
    assert.equal(maxDelaySeconds, 7 * 24 * 3600 - 60);
  });
});
