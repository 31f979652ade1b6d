import type { StorageQueueFunctionOptions } from '@azure/functions';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { describeError } from '../../src/core/logger';
import type { HostLog } from './hostLog';
import type { QueueTriggerConfig } from './hostJson';
import { decodeMessageText, queueTriggerMetadata, tryJsonParse } from './queueMessage';
import { runInvocation } from './runInvocation';

export interface QueueMessageHandlerOptions {
  name: string;
  options: StorageQueueFunctionOptions;
  queue: QueueClient;
  poisonQueue: QueueClient;
  config: QueueTriggerConfig;
  log: HostLog;
}

/**
 * Handles one received message as the Functions runtime does: not base64 → poison at once;
 * success → deleted; failure → visible again after `visibilityTimeout`, or moved to
 * `<queue>-poison` once it has been tried `maxDequeueCount` times.
 */
export class QueueMessageHandler {
  #poisonQueueReady: Promise<unknown> | undefined;

  constructor(private readonly setup: QueueMessageHandlerOptions) {}

  /** The visibility timeout a received message gets while its function runs, renewed at half. */
  get leaseSeconds(): number {
    return Math.max(1, Math.ceil(this.setup.config.visibilityTimeoutMs / 1000));
  }

  async handle(message: DequeuedMessageItem): Promise<void> {
    const { config, name } = this.setup;
    const decoded = decodeMessageText(message.messageText, config.messageEncoding);
    if (!decoded.ok)
      return this.#moveToPoison(message, message.popReceipt, 'it is not valid base64');
    if (message.dequeueCount > config.maxDequeueCount) {
      return this.#moveToPoison(message, message.popReceipt, this.#attempts(message));
    }
    const lease = this.#keepLeased(message);
    const outcome = await runInvocation(this.setup.log, {
      functionName: name,
      trigger: this.#trigger(),
      triggerMetadata: queueTriggerMetadata(message),
      handler: this.setup.options.handler,
      input: tryJsonParse(decoded.text),
      reason: `Queue message ${message.messageId}, attempt ${message.dequeueCount}.`,
    });
    const popReceipt = await lease.release();
    if (outcome.ok) {
      await this.setup.queue.deleteMessage(message.messageId, popReceipt);
    } else if (message.dequeueCount >= config.maxDequeueCount) {
      await this.#moveToPoison(message, popReceipt, this.#attempts(message));
    } else {
      const delaySeconds = Math.ceil(config.visibilityTimeoutMs / 1000);
      await this.setup.queue.updateMessage(message.messageId, popReceipt, undefined, delaySeconds);
    }
  }

  #attempts(message: DequeuedMessageItem): string {
    return `it failed ${message.dequeueCount} of ${this.setup.config.maxDequeueCount} attempts`;
  }

  #trigger() {
    const { queueName, connection } = this.setup.options;
    return { type: 'queueTrigger', name: 'queueItem', queueName, connection };
  }

  /** Copies the message as received (still encoded) to the poison queue, then deletes it. */
  async #moveToPoison(
    message: DequeuedMessageItem,
    popReceipt: string,
    why: string,
  ): Promise<void> {
    const { poisonQueue, queue, log, name } = this.setup;
    this.#poisonQueueReady ??= poisonQueue.createIfNotExists();
    await this.#poisonQueueReady;
    await poisonQueue.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, popReceipt);
    log(name, 'warning', `Message ${message.messageId} moved to ${poisonQueue.name}: ${why}.`);
  }

  /** Renews the message's invisibility while the function runs, so no other poll takes it. */
  #keepLeased(message: DequeuedMessageItem): { release(): Promise<string> } {
    let popReceipt = message.popReceipt;
    let renewal: Promise<void> = Promise.resolve();
    const renew = async (): Promise<void> => {
      try {
        const renewed = await this.setup.queue.updateMessage(
          message.messageId,
          popReceipt,
          undefined,
          this.leaseSeconds,
        );
        popReceipt = renewed.popReceipt ?? popReceipt;
      } catch (error) {
        this.setup.log(this.setup.name, 'warning', `Lease renewal failed: ${describeError(error)}`);
      }
    };
    const timer = setInterval(
      () => {
        renewal = renewal.then(renew);
      },
      (this.leaseSeconds * 1000) / 2,
    );
    return {
      release: async () => {
        clearInterval(timer);
        await renewal;
        return popReceipt;
      },
    };
  }
}
