import type { JobClient } from 'azure-iothub';
import type { IncomingMessage } from 'node:http';
import type { Page } from '../core/page';

// The package root does not export it; derived here instead of a deep import.
type Query = ReturnType<JobClient['createQuery']>;

/**
 * One page of a query. The token always goes in explicitly: the SDK's promise `next()` without
 * an argument never sends it and returns page 1 forever (docs/iothub.md, Paging).
 */
export async function readPage(
  query: Query,
  continuationToken: string | undefined,
): Promise<{ items: unknown[]; continuationToken?: string }> {
  // undefined on the first page: a fresh Query then sends no token, as it should.
  const response = await query.next(continuationToken as string);
  const result: unknown = response.result;
  const message: IncomingMessage | undefined = response.message;
  const token = headerToken(message);
  return { items: Array.isArray(result) ? (result as unknown[]) : [], continuationToken: token };
}

function headerToken(message: IncomingMessage | undefined): string | undefined {
  const header = message?.headers['x-ms-continuation'];
  const token = Array.isArray(header) ? header[0] : header;
  return token === undefined || token === '' ? undefined : token;
}

export function withToken<T>(items: T[], continuationToken: string | undefined): Page<T> {
  return continuationToken === undefined ? { items } : { items, continuationToken };
}

export function definedOnly<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}
