import type { StorageCallOptions } from './storageCallOptions';
import type { WorkMessage } from './workMessage';

export type { WorkMessage } from './workMessage';

export interface WorkQueue {
  send(
    message: WorkMessage,
    options?: { delaySeconds?: number } & StorageCallOptions,
  ): Promise<void>;
}

/**
 * A message as the trigger handed it over (docs/queue.md): `stored` is the queue's own message
 * text, still encoded, copied verbatim; `decoded` is the text as far as the trigger kept it.
 */
export type ReceivedMessage = { form: 'stored'; text: string } | { form: 'decoded'; text: string };

/** Where messages that will never be handled are explained (the poison table) and kept. */
export interface PoisonSink {
  /** Records why, by message id, and copies the message to the poison queue. */
  reject(messageId: string, message: ReceivedMessage, errors: string[]): Promise<void>;
  /** Records why only: the host itself moves the message once its dequeues are spent. */
  explain(messageId: string, errors: string[]): Promise<void>;
}
