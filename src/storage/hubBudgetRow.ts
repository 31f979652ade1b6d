import { writeIfUnchanged } from './conditionalWrites';
import type { TableClient } from '@azure/data-tables';
import type { LedgerEntry } from '../core/budgetLedger';
import type { HubQuota } from '../core/hubBudget';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { undefinedWhenNotFound } from './storageErrors';

/** The one row of a quota in `<prefix>hubbudget` (docs/storage.md): PK the quota, RK `ledger`. */
export const ledgerRowKey = 'ledger';

export interface LedgerRow {
  entries: LedgerEntry[];
  /** Absent while the row does not exist yet: the first claim inserts it. */
  etag?: string;
}

/** The quota's row; an absent row is an empty ledger. */
export async function readLedger(
  client: TableClient,
  quota: HubQuota,
  options: StorageCallOptions,
): Promise<LedgerRow> {
  const entity = await undefinedWhenNotFound(() =>
    client.getEntity<{ windows?: unknown }>(quota, ledgerRowKey, options),
  );
  if (entity === undefined) return { entries: [] };
  return { entries: parseWindows(entity.windows), etag: entity.etag };
}

/**
 * Writes the ledger if the row is unchanged since it was read (insert when it had none): the row
 * as written, or undefined when another instance wrote first.
 */
export async function writeLedger(
  client: TableClient,
  quota: HubQuota,
  entries: readonly LedgerEntry[],
  etag: string | undefined,
  options: StorageCallOptions,
): Promise<LedgerRow | undefined> {
  const entity = { partitionKey: quota, rowKey: ledgerRowKey, windows: formatWindows(entries) };
  const written = await writeIfUnchanged(client, entity, etag, options);
  if (written === undefined) return undefined;
  return written.etag === undefined
    ? { entries: [...entries] }
    : { entries: [...entries], etag: written.etag };
}

/** `[[startMs, endMs, granted], …]`: compact, and readable in a storage explorer. */
function formatWindows(entries: readonly LedgerEntry[]): string {
  return JSON.stringify(entries.map((e) => [e.startMs, e.endMs, e.granted]));
}

/** Anything unreadable counts as nothing booked: a damaged row must not block every hub call. */
function parseWindows(raw: unknown): LedgerEntry[] {
  if (typeof raw !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((item: unknown) => {
    if (!Array.isArray(item) || item.length !== 3 || !item.every(Number.isFinite)) return [];
    const [startMs, endMs, granted] = item as [number, number, number];
    return [{ startMs, endMs, granted }];
  });
}
