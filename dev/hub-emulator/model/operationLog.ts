import type { Clock, OperationEntry } from './types';

export interface OperationFilter {
  deviceId?: string;
  jobId?: string;
  /** Only entries with a larger sequence number. */
  sinceSeq?: number;
}

/** Oldest entries are dropped beyond this, so a long-running emulator stays bounded. */
const MAX_ENTRIES = 2_000_000;

/** Stored with a numeric time; the ISO string is made only when the log is read. */
type StoredEntry = Omit<OperationEntry, 'at'> & { atMs: number };

/** Every device operation the hub performed, in order: the proof of what ran and how often. */
export class OperationLog {
  private entries: StoredEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly clock: Clock) {}

  append(entry: Omit<OperationEntry, 'seq' | 'at'>): void {
    this.entries.push({ seq: this.nextSeq++, atMs: this.clock.now(), ...entry });
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
  }

  list(filter: OperationFilter = {}): OperationEntry[] {
    const start = this.firstIndexAfter(filter.sinceSeq ?? 0);
    const result: OperationEntry[] = [];
    for (let i = start; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (entry === undefined) continue;
      if (filter.deviceId !== undefined && entry.deviceId !== filter.deviceId) continue;
      if (filter.jobId !== undefined && entry.jobId !== filter.jobId) continue;
      const { atMs, ...rest } = entry;
      result.push({ ...rest, at: new Date(atMs).toISOString() });
    }
    return result;
  }

  clear(): void {
    this.entries = [];
  }

  private firstIndexAfter(seq: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = this.entries[middle];
      if (entry !== undefined && entry.seq <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
