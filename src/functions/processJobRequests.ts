import type { InvocationContext } from '@azure/functions';
import { getServices } from '../composition';
import { ValidationError } from '../core/errors';
import { describeError } from '../core/logger';
import { parseWorkMessage } from '../jobs/schemas';
import { submitJob } from '../jobs/submitJob';
import type { FunctionDeclaration } from './functionDeclaration';
import { invocationLogger } from './invocationLogger';

/**
 * The `job-requests` queue (SPEC §4). A malformed message is moved to the poison queue with its
 * errors on first sight and the invocation succeeds, so it is neither retried nor dropped. A
 * valid one is submitted; only unexpected failures throw, leaving redelivery and poisoning to the
 * host's dequeue rules.
 */
export async function processJobRequestsHandler(
  queueItem: unknown,
  context: InvocationContext,
): Promise<void> {
  const services = getServices();
  let message;
  try {
    message = parseWorkMessage(queueItem);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const metadataId = context.triggerMetadata?.id;
    const messageId = typeof metadataId === 'string' ? metadataId : context.invocationId;
    const errors = error.errors.map((e) => `${e.field}: ${e.message}`);
    await services.poisonSink.reject(messageId, rawText(queueItem), errors);
    context.warn(`Message ${messageId} is malformed and was moved to poison: ${errors.join('; ')}`);
    return;
  }
  const deps = { ...services.deps, logger: invocationLogger(context) };
  try {
    const result = await submitJob(message.jobId, deps);
    context.log(`submitJob ${message.jobId}: ${result.outcome}`);
  } catch (error) {
    context.error(`submitJob ${message.jobId} failed: ${describeError(error)}`);
    throw error;
  }
}

/** The runtime hands over JSON already parsed; a string stays as it came. */
function rawText(queueItem: unknown): string {
  return typeof queueItem === 'string' ? queueItem : (JSON.stringify(queueItem) ?? '');
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
