import { insertIfAbsent } from './conditionalWrites';
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { Clock } from '../core/clock';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { HubSlotStore, SlotHold } from '../jobs/ports';
import { classifyStorageError } from './storageErrors';

const partitionKey = '_slots';
const maxClaimAttempts = 5;
const systemClock: Clock = { now: () => new Date() };

type Row = TableEntityResult<Record<string, unknown>>;

/**
 * The hub's job slots in `<prefix>hubslots`: PK `_slots`, one row per held slot, RK the slot
 * index. A claim is an insert, so two instances can never take the same slot; one that lost the
 * race re-reads the partition (at most 100 small rows) and tries another free index. Holds are
 * released and handed over under their ETag (docs/storage.md).
 */
export class TableHubSlotStore implements HubSlotStore {
  /** The index this instance tries first; a guess, so a free slot usually costs one request. */
  private hint = 0;

  constructor(
    private readonly table: () => Promise<TableClient>,
    private readonly clock: Clock = systemClock,
  ) {}

  async claim(jobId: string, limit: number, options: StorageCallOptions = {}): Promise<boolean> {
    const client = await this.table();
    let index = this.hint < limit ? this.hint : 0;
    for (let attempt = 0; attempt < maxClaimAttempts; attempt++) {
      if (await this.tryInsert(client, index, jobId, options)) {
        this.hint = index + 1 < limit ? index + 1 : 0;
        return true;
      }
      const rows = await this.rows(client, options);
      if (rows.some((row) => row.jobId === jobId)) return true;
      const free = firstFreeIndex(rows, limit);
      if (free === undefined) return false;
      index = free;
    }
    // Lost every race: as good as full; the job waits and is tried again.
    return false;
  }

  async list(options: StorageCallOptions = {}): Promise<SlotHold[]> {
    const client = await this.table();
    return (await this.rows(client, options)).map(toHold);
  }

  async release(hold: SlotHold, options: StorageCallOptions = {}): Promise<boolean> {
    const client = await this.table();
    const { rowKey, etag } = parseRevision(hold.revision);
    try {
      await client.deleteEntity(partitionKey, rowKey, { ...options, etag });
      return true;
    } catch (error) {
      if (isLostRace(error)) return false;
      throw error;
    }
  }

  async transfer(
    hold: SlotHold,
    jobId: string,
    options: StorageCallOptions = {},
  ): Promise<SlotHold | undefined> {
    const client = await this.table();
    const { rowKey, etag } = parseRevision(hold.revision);
    const claimedAt = this.clock.now().toISOString();
    try {
      const written = await client.updateEntity(
        { partitionKey, rowKey, jobId, claimedAt },
        'Replace',
        { ...options, etag },
      );
      return { jobId, claimedAt, revision: revisionOf(rowKey, written.etag ?? '') };
    } catch (error) {
      if (isLostRace(error)) return undefined;
      throw error;
    }
  }

  private async tryInsert(
    client: TableClient,
    index: number,
    jobId: string,
    options: StorageCallOptions,
  ): Promise<boolean> {
    const entity = { partitionKey, rowKey: slotKey(index), jobId, claimedAt: this.now() };
    return insertIfAbsent(client, entity, options);
  }

  private async rows(client: TableClient, options: StorageCallOptions): Promise<Row[]> {
    const rows: Row[] = [];
    const query = client.listEntities<Record<string, unknown>>({
      ...options,
      queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` },
    });
    for await (const row of query) rows.push(row);
    return rows;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/** Zero-padded so slot rows list in index order. */
function slotKey(index: number): string {
  return String(index).padStart(4, '0');
}

/** The lowest index below `limit` no row holds, when fewer than `limit` rows exist. */
function firstFreeIndex(rows: Row[], limit: number): number | undefined {
  if (rows.length >= limit) return undefined;
  const used = new Set(rows.map((row) => row.rowKey));
  for (let index = 0; index < limit; index++) if (!used.has(slotKey(index))) return index;
  return undefined;
}

function toHold(row: Row): SlotHold {
  return {
    jobId: String(row.jobId),
    claimedAt: String(row.claimedAt),
    revision: revisionOf(String(row.rowKey), row.etag),
  };
}

function revisionOf(rowKey: string, etag: string): string {
  return `${rowKey};${etag}`;
}

function parseRevision(revision: string): { rowKey: string; etag: string } {
  const split = revision.indexOf(';');
  return { rowKey: revision.slice(0, split), etag: revision.slice(split + 1) };
}

function isLostRace(error: unknown): boolean {
  const kind = classifyStorageError(error);
  return kind === 'preconditionFailed' || kind === 'notFound';
}
