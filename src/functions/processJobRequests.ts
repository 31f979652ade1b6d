import type { InvocationContext } from '@azure/functions';
import { getServices } from '../composition';
import { describeError } from '../core/logger';
import { classifyWorkMessage } from '../core/workMessage';
import { queueMessageSchema } from '../queueContract';
import type { FunctionDeclaration } from './functionDeclaration';
import { maxDequeueCount } from './hostQueueConfig';
import { invocationLogger } from './invocationLogger';
import { receivedMessage } from './receivedMessage';
import { dispatchWork } from './workHandlers';

/** Thrown for a message this version cannot read, so the runtime redelivers it. */
export class UnknownWorkMessageError extends Error {
  override readonly name = 'UnknownWorkMessageError';
}

/**
 * The `job-requests` queue (docs/queue.md). A malformed message of a known kind is moved to
 * poison with its errors on first sight and the invocation succeeds. One of an unknown kind or
 * schemaVersion may come from a newer instance: it is left for retry, and explained in the
 * poison table on its last dequeue before the host moves it. A valid one goes to its handler;
 * unexpected failures throw, leaving redelivery and poisoning to the host's dequeue rules.
 */
export async function processJobRequestsHandler(
  queueItem: unknown,
  context: InvocationContext,
): Promise<void> {
  const services = getServices();
  const messageId = messageIdOf(context);
  const classified = classifyWorkMessage(queueItem, queueMessageSchema);
  if (classified.verdict === 'unknown') {
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    const last = dequeueCount >= maxDequeueCount();
    if (last) await services.poisonSink.explain(messageId, [classified.reason]);
    throw new UnknownWorkMessageError(
      `Message ${messageId}: ${classified.reason}; left for retry (attempt ${dequeueCount} of ` +
        `${maxDequeueCount()}${last ? ', recorded in the poison table' : ''}).`,
    );
  }
  const received = receivedMessage(queueItem, context.triggerMetadata);
  if (classified.verdict === 'malformed') {
    const errors = classified.errors.map((e) => `${e.field}: ${e.message}`);
    await services.poisonSink.reject(messageId, received, errors);
    context.warn(`Message ${messageId} is malformed and was moved to poison: ${errors.join('; ')}`);
    return;
  }
  const deps = { ...services.deps, logger: invocationLogger(context) };
  const { message } = classified;
  try {
    await dispatchWork(message, {
      deps,
      rolloutRules: services.rolloutRules,
      item: queueItem,
      poisonSink: services.poisonSink,
      messageId,
      received,
      context,
    });
  } catch (error) {
    context.error(`${message.kind} message ${messageId} failed: ${describeError(error)}`);
    throw error;
  }
}

function messageIdOf(context: InvocationContext): string {
  const metadataId = context.triggerMetadata?.id;
  return typeof metadataId === 'string' ? metadataId : context.invocationId;
}

export const processJobRequestsFunction: FunctionDeclaration = {
  kind: 'storageQueue',
  name: 'processJobRequests',
  options: {
    queueName: '%JOB_REQUESTS_QUEUE%',
    connection: 'AzureWebJobsStorage',
    handler: processJobRequestsHandler,
  },
};
