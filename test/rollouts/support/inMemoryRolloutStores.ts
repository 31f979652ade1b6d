import { ConcurrencyError } from '../../../src/core/errors';
import type { Page } from '../../../src/core/page';
import type {
  AttemptResult,
  DeviceIdBlobs,
  HubDeviceQuery,
  RolloutChunkStore,
  RolloutDeviceOutcome,
  RolloutDeviceResult,
  RolloutDeviceResultStore,
  RolloutListFilter,
  RolloutStore,
  TargetBlobProblem,
  VerifiedDevice,
} from '../../../src/rollouts/ports';
import type { PlannedChunk, Rollout, StoredRollout } from '../../../src/rollouts/rollout';
import { RolloutExistsError } from '../../../src/rollouts/rolloutErrors';

const terminal = new Set(['completed', 'failed', 'cancelled']);

/** Rollouts in a map, revision-guarded like the table store. */
export class InMemoryRolloutStore implements RolloutStore {
  readonly rows = new Map<string, StoredRollout>();
  private revision = 0;
  writes = 0;

  create(rollout: Rollout): Promise<StoredRollout> {
    if (this.rows.has(rollout.rolloutId)) {
      return Promise.reject(new RolloutExistsError(rollout.rolloutId));
    }
    return Promise.resolve(this.store(rollout));
  }

  get(rolloutId: string): Promise<StoredRollout | undefined> {
    const row = this.rows.get(rolloutId);
    return Promise.resolve(row === undefined ? undefined : structuredClone(row));
  }

  update(rollout: StoredRollout): Promise<StoredRollout> {
    const current = this.rows.get(rollout.rolloutId);
    if (current === undefined || current.revision !== rollout.revision) {
      return Promise.reject(
        new ConcurrencyError(`Rollout ${rollout.rolloutId} changed meanwhile.`),
      );
    }
    return Promise.resolve(this.store(rollout));
  }

  list(filter: RolloutListFilter, page: { pageSize: number }): Promise<Page<StoredRollout>> {
    const items = [...this.rows.values()]
      .filter((row) => filter.status === undefined || row.status === filter.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, page.pageSize);
    return Promise.resolve({ items: structuredClone(items) });
  }

  listActive(): Promise<StoredRollout[]> {
    return Promise.resolve(
      structuredClone([...this.rows.values()].filter((row) => !terminal.has(row.status))),
    );
  }

  private store(rollout: Rollout): StoredRollout {
    this.writes++;
    const { revision: _previous, ...fields } = rollout as StoredRollout;
    const stored = { ...structuredClone(fields), revision: String(++this.revision) };
    this.rows.set(rollout.rolloutId, stored);
    return structuredClone(stored);
  }
}

export class InMemoryChunkStore implements RolloutChunkStore {
  readonly rows = new Map<string, PlannedChunk>();
  puts = 0;

  put(rolloutId: string, chunks: PlannedChunk[]): Promise<void> {
    this.puts++;
    for (const chunk of chunks)
      this.rows.set(key(rolloutId, chunk.wave, chunk.chunk, chunk.attempt), { ...chunk });
    return Promise.resolve();
  }

  get(
    rolloutId: string,
    wave: number,
    chunk: number,
    attempt = 1,
  ): Promise<PlannedChunk | undefined> {
    return Promise.resolve(this.rows.get(key(rolloutId, wave, chunk, attempt)));
  }
}

const key = (rolloutId: string, wave: number, chunk: number, attempt = 1) =>
  `${rolloutId}/${wave}/${chunk}/${attempt}`;

/** hubjobs' own blobs in a map; producer blobs as text, or a problem for good. */
export class InMemoryDeviceIdBlobs implements DeviceIdBlobs {
  readonly own = new Map<string, string[]>();
  readonly producer = new Map<string, string | TargetBlobProblem>();

  writeOwn(blobName: string, deviceIds: readonly string[]): Promise<string> {
    this.own.set(blobName, [...deviceIds]);
    return Promise.resolve(blobName);
  }

  readOwn(blobName: string): Promise<string[]> {
    const ids = this.own.get(blobName);
    if (ids === undefined) return Promise.reject(new Error(`no blob ${blobName}`));
    return Promise.resolve([...ids]);
  }

  readProducer(
    reference: string,
    maxBytes: number,
  ): Promise<{ text: string } | { problem: TargetBlobProblem }> {
    const content = this.producer.get(reference) ?? { kind: 'notFound', blob: reference };
    if (typeof content !== 'string') return Promise.resolve({ problem: content });
    const bytes = Buffer.byteLength(content);
    if (bytes > maxBytes) {
      return Promise.resolve({ problem: { kind: 'tooLarge', blob: reference, bytes, maxBytes } });
    }
    return Promise.resolve({ text: content });
  }
}

/** A fleet whose every condition matches the same ids, paged by index. */
export class FakeDeviceQuery implements HubDeviceQuery {
  readonly queries: string[] = [];

  constructor(private readonly deviceIds: readonly string[]) {}

  countDevices(queryCondition: string): Promise<number> {
    this.queries.push(`COUNT ${queryCondition}`);
    return Promise.resolve(this.deviceIds.length);
  }

  queryDeviceIds(
    queryCondition: string,
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<string>> {
    this.queries.push(`IDS ${queryCondition}`);
    const start = Number(page.continuationToken ?? 0);
    const end = start + (page.pageSize ?? 100);
    const items = this.deviceIds.slice(start, end);
    return Promise.resolve(
      end < this.deviceIds.length ? { items, continuationToken: String(end) } : { items },
    );
  }

  /** These devices carry no properties: all of them are the one group without a value. */
  countByValue(queryCondition: string, path: string): Promise<{ value: unknown; count: number }[]> {
    this.queries.push(`GROUP BY ${path} ${queryCondition}`);
    const count = this.deviceIds.length;
    return Promise.resolve(count === 0 ? [] : [{ value: undefined, count }]);
  }
}

/** Merged device rows in a map, the later attempt winning as in the table store. */
export class InMemoryRolloutDeviceResults implements RolloutDeviceResultStore {
  readonly rows = new Map<string, Map<string, RolloutDeviceResult>>();
  /** Set to make the next `record` fail, as a storage outage would. */
  failNext: Error | undefined;

  record(rolloutId: string, results: readonly AttemptResult[]): Promise<void> {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) return Promise.reject(failure);
    const rows = this.rows.get(rolloutId) ?? new Map<string, RolloutDeviceResult>();
    for (const result of results) {
      const current = rows.get(result.deviceId);
      if (current !== undefined && precedence(current) > precedence(result)) continue;
      rows.set(result.deviceId, structuredClone({ ...result, rolloutId }));
    }
    this.rows.set(rolloutId, rows);
    return Promise.resolve();
  }

  recordVerified(rolloutId: string, devices: readonly VerifiedDevice[]): Promise<void> {
    const rows = this.rows.get(rolloutId) ?? new Map<string, RolloutDeviceResult>();
    for (const device of devices) {
      const current = rows.get(device.deviceId);
      const outcome = device.verification === 'converged' ? 'succeeded' : 'notConverged';
      const verdict = { ...device, outcome, rolloutId } as const;
      if (current === undefined) rows.set(device.deviceId, { ...verdict, status: 'completed' });
      else if (precedence(current) <= precedence(verdict))
        rows.set(device.deviceId, { ...current, ...verdict });
    }
    this.rows.set(rolloutId, rows);
    return Promise.resolve();
  }

  list(
    rolloutId: string,
    filter: { outcome?: RolloutDeviceOutcome },
    page: { pageSize: number; continuationToken?: string },
  ): Promise<Page<RolloutDeviceResult>> {
    const all = this.sorted(rolloutId).filter(
      (row) => filter.outcome === undefined || row.outcome === filter.outcome,
    );
    const start = Number(page.continuationToken ?? 0);
    const items = structuredClone(all.slice(start, start + page.pageSize));
    const end = start + page.pageSize;
    return Promise.resolve(
      end < all.length ? { items, continuationToken: String(end) } : { items },
    );
  }

  countByOutcome(rolloutId: string): Promise<Partial<Record<RolloutDeviceOutcome, number>>> {
    const counts: Partial<Record<RolloutDeviceOutcome, number>> = {};
    for (const row of this.sorted(rolloutId)) counts[row.outcome] = (counts[row.outcome] ?? 0) + 1;
    return Promise.resolve(counts);
  }

  sorted(rolloutId: string): RolloutDeviceResult[] {
    const rows = [...(this.rows.get(rolloutId)?.values() ?? [])];
    return rows.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }
}

/** As the table store ranks writes: a later attempt, then a verification verdict over the import. */
function precedence(row: { attempt: number; verification?: string }): number {
  const verdict = row.verification === 'converged' || row.verification === 'notConverged';
  return row.attempt * 2 + (verdict ? 1 : 0);
}
