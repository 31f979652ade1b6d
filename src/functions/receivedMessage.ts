import type { TriggerMetadata } from '@azure/functions';
import type { ReceivedMessage } from '../core/workQueue';

/**
 * The trigger-metadata key under which the local host (dev/host) hands over the message text
 * exactly as stored in the queue. Azure's Node worker offers no such copy (docs/queue.md).
 */
export const storedMessageTextKey = 'storedMessageText';

/**
 * The message as received, as exactly as the trigger allows: the stored text when the host gives
 * it; otherwise the worker's parsed value turned back into text (docs/queue.md says what is lost).
 */
export function receivedMessage(
  queueItem: unknown,
  triggerMetadata: TriggerMetadata | undefined,
): ReceivedMessage {
  const stored = triggerMetadata?.[storedMessageTextKey];
  if (typeof stored === 'string') return { form: 'stored', text: stored };
  return { form: 'decoded', text: textOf(queueItem) };
}

/** The worker JSON-parses a JSON body, so a string that is itself JSON came as a JSON string. */
function textOf(queueItem: unknown): string {
  if (typeof queueItem !== 'string') return JSON.stringify(queueItem) ?? '';
  return parsesAsJson(queueItem) ? JSON.stringify(queueItem) : queueItem;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
