import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors';

/**
 * Makes any string usable as a PartitionKey/RowKey. Keys cannot hold `/ \ # ?` or control
 * characters, and quotes complicate URLs, so everything but `A-Z a-z 0-9 - _ .` is
 * percent-encoded (UTF-8). The mapping is reversible and keeps the order of plain ids.
 */
export function encodeKey(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*~]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function decodeKey(key: string): string {
  return decodeURIComponent(key);
}

/** Like `encodeKey`, but long values become a hash so the key stays far below the 1 KiB limit. */
export function encodeBoundedKey(value: string, maxLength = 256): string {
  const encoded = encodeKey(value);
  if (encoded.length <= maxLength) return encoded;
  return `sha256-${createHash('sha256').update(value).digest('hex')}`;
}

const maxTimeMs = 9_999_999_999_999;

/** Zero-padded `maxTime - ms`, so ascending row keys list the newest instant first. */
export function invertedTimeKey(epochMs: number): string {
  return String(maxTimeMs - epochMs).padStart(String(maxTimeMs).length, '0');
}

/**
 * Checks a caller-supplied continuation token before the SDK decodes it, so a mangled token is a
 * 400 naming the field instead of a JSON parse error deep inside the SDK.
 */
export function checkContinuationToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const invalid = new ValidationError([
    { field: 'continuationToken', message: 'is not a token this service issued' },
  ]);
  if (!/^[A-Za-z0-9+/=_-]+$/.test(token)) throw invalid;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('latin1')) as unknown;
    const nextPartitionKey = (decoded as { nextPartitionKey?: unknown } | null)?.nextPartitionKey;
    if (typeof nextPartitionKey !== 'string') throw invalid;
  } catch {
    throw invalid;
  }
  return token;
}
