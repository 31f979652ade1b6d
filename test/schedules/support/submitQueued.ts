import { QueueClient } from '@azure/storage-queue';
import type { Services } from '../../../src/composition';
import { submitJob } from '../../../src/jobs/submitJob';
import type { LiveStack } from '../../jobs/support/liveStack';

/** Plays the queue trigger for submits; rollout continuations are left to the poll tick. */
export async function submitQueued(stack: LiveStack, services: Services): Promise<void> {
  const connection = stack.env().AzureWebJobsStorage ?? '';
  const queue = new QueueClient(connection, services.settings.jobRequestsQueue);
  await queue.createIfNotExists();
  const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
  for (const message of receivedMessageItems) {
    const body = JSON.parse(Buffer.from(message.messageText, 'base64').toString('utf8')) as {
      kind: string;
      jobId?: string;
    };
    if (body.kind === 'submitJob' && body.jobId !== undefined) {
      await submitJob(body.jobId, services.deps);
    }
    await queue.deleteMessage(message.messageId, message.popReceipt);
  }
}
