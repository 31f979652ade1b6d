import assert from 'node:assert/strict';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { fromJsonProperties } from '../../../src/storage/chunkedJson';
import type { OperationLogEntry } from '../../../dev/hub-emulator/adminClient';
import { api, eventually, type E2eStack } from './e2eStack';

/** Reaching into the stack's Azurite as a producer, or a test checking what changed, would. */
export function rolloutProbes(stack: E2eStack) {
  const connection = stack.azurite.connectionString;
  const queueName = stack.env.JOB_REQUESTS_QUEUE as string;
  const tablePrefix = stack.env.TABLE_PREFIX as string;
  const queue = new QueueClient(connection, queueName);
  const poison = new QueueClient(connection, `${queueName}-poison`);
  const blobs = BlobServiceClient.fromConnectionString(connection);
  const table = (suffix: string) =>
    TableClient.fromConnectionString(connection, `${tablePrefix}${suffix}`, {
      allowInsecureConnection: true,
    });

  return {
    queue,
    poison,
    /** Uploads `text` as `<container>/<name>`, as a producer would before naming it. */
    async uploadIds(container: string, name: string, text: string): Promise<string> {
      const client = blobs.getContainerClient(container);
      await client.createIfNotExists();
      await client.getBlockBlobClient(name).uploadData(Buffer.from(text, 'utf8'));
      return `${container}/${name}`;
    },
    /** Enqueues a message the way a producer does: base64 JSON. Answers the message id. */
    async enqueue(message: unknown): Promise<string> {
      const text = Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
      // In Azure the deployment creates the queue; here the trigger may not have polled yet.
      await queue.createIfNotExists();
      return (await queue.sendMessage(text)).messageId;
    },
    async poisonTexts(): Promise<string[]> {
      if (!(await poison.exists())) return [];
      const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems.map((item) => Buffer.from(item.messageText, 'base64').toString());
    },
    /** The errors recorded for a poisoned message, by message id. */
    async poisonErrors(messageId: string): Promise<string[] | undefined> {
      try {
        for await (const row of table('poison').listEntities<Record<string, unknown>>()) {
          if (row.messageId === messageId) return fromJsonProperties(row, 'errors') as string[];
        }
      } catch {
        return undefined;
      }
      return undefined;
    },
    /** Rows in one of the app's tables (0 when it does not exist). */
    async rowCount(suffix: string): Promise<number> {
      let count = 0;
      try {
        for await (const _row of table(suffix).listEntities()) count++;
      } catch {
        return 0;
      }
      return count;
    },
  };
}

/**
 * Waits until the rollout has ended and answers it as `GET /rollouts/{id}` shows it, read
 * loosely as a client script would; the assertions pin what matters.
 */
export async function rolloutWhenEnded(
  stack: E2eStack,
  rolloutId: string,
  timeoutMs = 40_000,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let rollout: any;
  try {
    await eventually(
      `rollout ${rolloutId} ends`,
      async () => {
        const response = await api(stack, 'GET', `/rollouts/${rolloutId}`);
        rollout = response.json;
        return (
          response.status === 200 && ['completed', 'failed', 'cancelled'].includes(rollout.status)
        );
      },
      timeoutMs,
    );
  } catch (error) {
    const state = JSON.stringify(rollout)?.slice(0, 1500);
    const log = stack.host.output().slice(-3000);
    throw new Error(`${(error as Error).message}; last seen: ${state}\nhost log:\n${log}`, {
      cause: error,
    });
  }
  return rollout;
}

/** Every device the hub operated on, with how often: each must appear exactly once. */
export function assertEachOperatedOnce(
  operations: OperationLogEntry[],
  deviceIds: readonly string[],
): void {
  const counts = new Map<string, number>();
  for (const entry of operations) counts.set(entry.deviceId, (counts.get(entry.deviceId) ?? 0) + 1);
  const twice = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
  assert.deepEqual(twice.slice(0, 5), [], `${twice.length} devices operated more than once`);
  const missing = deviceIds.filter((id) => !counts.has(id));
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} devices never operated`);
  assert.equal(counts.size, deviceIds.length, 'no device outside the targets was operated');
}

export function fleetIds(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => `device-${String(from + i).padStart(5, '0')}`);
}
