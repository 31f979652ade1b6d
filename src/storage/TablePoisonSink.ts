import type { TableClient } from '@azure/data-tables';
import type { QueueClient } from '@azure/storage-queue';
import type { Clock } from '../core/clock';
import type { PoisonSink, ReceivedMessage } from '../core/workQueue';
import { toJsonProperties } from './chunkedJson';
import { encodeQueueMessage } from './StorageWorkQueue';
import { encodeBoundedKey } from './tableKeys';

export interface TablePoisonSinkOptions {
  /** The queue the message came from; poison goes to `<queueName>-poison`. */
  queueName: string;
  poisonQueue: () => Promise<QueueClient>;
  /** `<prefix>poison`: PK queue name, RK message id, the validation errors. */
  poisonTable: () => Promise<TableClient>;
  clock?: Clock;
}

/**
 * Records why a message will never be handled and copies it to the poison queue as received
 * (docs/queue.md). The record is written first: if the copy then fails, the caller's error makes
 * the runtime redeliver the message, and the (idempotent) record is simply written again.
 */
export class TablePoisonSink implements PoisonSink {
  constructor(private readonly options: TablePoisonSinkOptions) {}

  async reject(messageId: string, message: ReceivedMessage, errors: string[]): Promise<void> {
    await this.explain(messageId, errors);
    const text = message.form === 'stored' ? message.text : encodeQueueMessage(message.text);
    const queue = await this.options.poisonQueue();
    await queue.sendMessage(text, { messageTimeToLive: -1 });
  }

  async explain(messageId: string, errors: string[]): Promise<void> {
    const table = await this.options.poisonTable();
    const receivedAt = (this.options.clock?.now() ?? new Date()).toISOString();
    await table.upsertEntity(
      {
        partitionKey: encodeBoundedKey(this.options.queueName),
        rowKey: encodeBoundedKey(messageId),
        queueName: this.options.queueName,
        messageId,
        receivedAt,
        ...toJsonProperties('errors', errors),
      },
      'Replace',
    );
  }
}

/** The poison queue's name, as the Functions runtime names it. */
export function poisonQueueName(queueName: string): string {
  return `${queueName}-poison`;
}
