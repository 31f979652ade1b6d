import type { QueueClient } from '@azure/storage-queue';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { WorkMessage, WorkQueue } from '../core/workQueue';

/** A queue message holds at most 64 KiB, counted after base64 encoding. */
export const maxQueueMessageBytes = 64 * 1024;
/** The service caps the visibility timeout at 7 days; a minute less keeps clear of the edge. */
export const maxDelaySeconds = 7 * 24 * 3600 - 60;

/**
 * Sends work messages as base64 JSON (the Functions queue trigger's default encoding). Messages
 * never expire (TTL -1): a job waiting for a hub slot may be re-enqueued for a long time.
 */
export class StorageWorkQueue implements WorkQueue {
  constructor(private readonly queue: () => Promise<QueueClient>) {}

  async send(
    message: WorkMessage,
    options: { delaySeconds?: number } & StorageCallOptions = {},
  ): Promise<void> {
    const text = encodeQueueMessage(JSON.stringify(message));
    const client = await this.queue();
    await client.sendMessage(text, {
      abortSignal: options.abortSignal,
      visibilityTimeout: toVisibilityTimeout(options.delaySeconds),
      messageTimeToLive: -1,
    });
  }
}

/** Base64 of the UTF-8 text, refused (with sizes, never content) when over the queue's limit. */
export function encodeQueueMessage(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  if (encoded.length > maxQueueMessageBytes) {
    throw new Error(
      `Queue message is ${encoded.length} bytes after base64; a queue takes at most ` +
        `${maxQueueMessageBytes}. Large payloads must travel by claim check (a blob).`,
    );
  }
  return encoded;
}

export function toVisibilityTimeout(delaySeconds: number | undefined): number {
  if (delaySeconds === undefined || !Number.isFinite(delaySeconds) || delaySeconds <= 0) return 0;
  return Math.min(maxDelaySeconds, Math.ceil(delaySeconds));
}
