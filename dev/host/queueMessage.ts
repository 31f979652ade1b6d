import type { TriggerMetadata } from '@azure/functions';
import type { DequeuedMessageItem } from '@azure/storage-queue';
import { storedMessageTextKey } from '../../src/functions/receivedMessage';

export type DecodedMessage = { ok: true; text: string } | { ok: false };

/** .NET's Convert.FromBase64String rules: whitespace ignored, whole quads, at most two `=`. */
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The message text as the trigger hands it over, or not ok when base64 was expected and absent. */
export function decodeMessageText(
  messageText: string,
  encoding: 'base64' | 'none',
): DecodedMessage {
  if (encoding === 'none') return { ok: true, text: messageText };
  const compact = messageText.replace(/\s+/g, '');
  if (!base64Pattern.test(compact)) return { ok: false };
  return { ok: true, text: Buffer.from(compact, 'base64').toString('utf8') };
}

/** What @azure/functions does with string trigger data: JSON when it parses, else the string. */
export function tryJsonParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The metadata Azure's queue trigger provides, plus the message text exactly as stored (still
 * encoded), which Azure's Node worker cannot give: the app keeps it in poison copies.
 */
export function queueTriggerMetadata(message: DequeuedMessageItem): TriggerMetadata {
  return {
    id: message.messageId,
    dequeueCount: message.dequeueCount,
    insertionTime: message.insertedOn.toISOString(),
    expirationTime: message.expiresOn.toISOString(),
    nextVisibleTime: message.nextVisibleOn.toISOString(),
    popReceipt: message.popReceipt,
    [storedMessageTextKey]: message.messageText,
  };
}
