import type { StorageQueueFunctionOptions } from '@azure/functions';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueueTriggerConfig } from './hostJson';
import { describeError } from '../../src/core/logger';
import type { HostLog } from './hostLog';
import { InFlight } from './inFlight';
import { QueueMessageHandler } from './queueMessageHandler';

export interface QueueTriggerOptions {
  name: string;
  /** With `queueName` already resolved from any `%SETTING%`. */
  options: StorageQueueFunctionOptions;
  queue: QueueClient;
  poisonQueue: QueueClient;
  config: QueueTriggerConfig;
  pollMinMs: number;
  pollMaxMs: number;
  log: HostLog;
  /** The host's count of running work, so that shutdown waits for messages being handled. */
  inFlight: InFlight;
}

export interface RunningQueueTrigger {
  /** Stops polling; messages already received keep running (the host's drain waits for them). */
  stop(): void;
}

/**
 * Polls a queue like the Functions queue listener: batches of `batchSize`, the next batch once
 * no more than `newBatchThreshold` messages are still running, and an idle backoff that doubles
 * from `pollMinMs` up to `pollMaxMs`.
 */
export function startQueueTrigger(trigger: QueueTriggerOptions): RunningQueueTrigger {
  const stopping = new AbortController();
  void trigger.inFlight.track(
    pollUntilStopped(trigger, stopping.signal).catch((error: unknown) => {
      trigger.log(trigger.name, 'error', `Queue polling stopped: ${describeError(error)}`);
    }),
  );
  return { stop: () => stopping.abort() };
}

async function pollUntilStopped(trigger: QueueTriggerOptions, signal: AbortSignal): Promise<void> {
  const handler = new QueueMessageHandler(trigger);
  const running = new InFlight();
  const { batchSize, newBatchThreshold } = trigger.config;
  let idleDelayMs = 0;
  let queueReady = false;
  while (!signal.aborted) {
    if (running.count > newBatchThreshold) {
      await running.oneSettled();
      continue;
    }
    let messages: DequeuedMessageItem[] = [];
    try {
      if (!queueReady) {
        await trigger.queue.createIfNotExists({ abortSignal: signal });
        queueReady = true;
      }
      const received = await trigger.queue.receiveMessages({
        numberOfMessages: batchSize,
        visibilityTimeout: handler.leaseSeconds,
        abortSignal: signal,
      });
      messages = received.receivedMessageItems;
    } catch (error) {
      if (signal.aborted) break;
      queueReady = false;
      trigger.log(
        trigger.name,
        'warning',
        `Polling ${trigger.queue.name} failed: ${describeError(error)}`,
      );
      idleDelayMs = trigger.pollMaxMs;
    }
    for (const message of messages) {
      void running.track(trigger.inFlight.track(handleSafely(trigger, handler, message)));
    }
    if (messages.length > 0) idleDelayMs = 0;
    else {
      idleDelayMs = Math.min(trigger.pollMaxMs, Math.max(trigger.pollMinMs, idleDelayMs * 2));
      await pause(idleDelayMs, signal);
    }
  }
}

async function handleSafely(
  trigger: QueueTriggerOptions,
  handler: QueueMessageHandler,
  message: DequeuedMessageItem,
): Promise<void> {
  try {
    await handler.handle(message);
  } catch (error) {
    // The message stays in the queue and comes back after its lease; nothing is lost.
    trigger.log(trigger.name, 'error', `Message ${message.messageId}: ${describeError(error)}`);
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the loop sees the signal and ends.
  }
}
