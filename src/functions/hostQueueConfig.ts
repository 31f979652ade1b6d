import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The Functions runtime's default for `extensions.queues.maxDequeueCount`. */
export const defaultMaxDequeueCount = 5;

let cached: number | undefined;

/**
 * `extensions.queues.maxDequeueCount` from the app's host.json, the file the Functions host and
 * the local host both read: the app root, found above this module (src/ or dist/src/).
 */
export function maxDequeueCount(): number {
  cached ??= readMaxDequeueCount(findHostJson(__dirname));
  return cached;
}

export function readMaxDequeueCount(file: string): number {
  const content = JSON.parse(readFileSync(file, 'utf8')) as {
    extensions?: { queues?: { maxDequeueCount?: unknown } };
  };
  const value = content.extensions?.queues?.maxDequeueCount;
  if (value === undefined) return defaultMaxDequeueCount;
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new Error(`host.json extensions.queues.maxDequeueCount must be a positive integer`);
  }
  return value as number;
}

function findHostJson(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'host.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`host.json not found above ${from}`);
  }
}
