import type { IncomingMessage } from 'node:http';
import { hubErrors } from '../hubError';

export const defaultMaxBodyBytes = 1024 * 1024;

/** Past this, an oversize body is no longer drained politely: the socket is dropped. */
const drainLimitFactor = 16;

/**
 * Reads and parses a JSON body. An empty body is `undefined`; invalid JSON is 400; a body over
 * `maxBytes` is 413, answered after the rest is drained so the client can read the answer.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const text = await readText(request, maxBytes);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw hubErrors.genericBadRequest('The request body is not valid JSON.');
  }
}

function readText(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) chunks.push(chunk);
      else if (received > maxBytes * drainLimitFactor) request.destroy();
    });
    request.on('end', () => {
      if (received > maxBytes) reject(tooLarge(maxBytes));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(tooLarge(maxBytes));
    });
  });
}

function tooLarge(maxBytes: number) {
  return hubErrors.messageTooLarge(`The request body exceeds ${maxBytes} bytes.`);
}
