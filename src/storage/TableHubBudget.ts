import type { TableClient } from '@azure/data-tables';
import { systemClock, type Clock } from '../core/clock';
import { checkCount, realSleep, takeWithin, type Attempt, type Sleep } from '../core/budgetWait';
import {
  liveEntries,
  nextRoomAt,
  remaining,
  usedInMinuteTo,
  windowAt,
  withGrant,
  type BudgetWindow,
} from '../core/budgetLedger';
import type { HubBudget, HubQuota, QuotaUsage, TakeOptions } from '../core/hubBudget';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { readLedger, writeLedger, type LedgerRow } from './hubBudgetRow';

/** Conflicts on the row in a row before a take pauses for `retryMs` (each means another won). */
const maxConflicts = 5;

export interface TableHubBudgetOptions {
  /** Calls per quota in any 60 seconds, for every instance together. */
  limits: Record<HubQuota, number>;
  windowMs: number;
  /** Calls' worth an instance claims from the row at once (more when one take needs more). */
  claimSize: number;
  /** Pause before claiming again after `maxConflicts` lost writes. */
  retryMs: number;
  clock?: Clock;
  sleep?: Sleep;
}

/** This instance's calls in one window: claimed and not handed out yet, and handed out. */
interface Held extends BudgetWindow {
  calls: number;
  served: number;
  /** Handed out in the window just before, when this instance was busy then. */
  servedBefore: number;
}

const nothingHeld: Held = { startMs: 0, endMs: 0, calls: 0, served: 0, servedBefore: 0 };

/**
 * The hub budget shared by every instance (docs/hub-budget.md): one row per quota in
 * `<prefix>hubbudget` books the last minute's windows; an instance claims calls in batches
 * under the row's ETag and hands them out locally until its window ends.
 */
export class TableHubBudget implements HubBudget {
  private readonly held: Record<HubQuota, Held> = {
    jobsOperations: { ...nothingHeld },
    queries: { ...nothingHeld },
  };
  private readonly turns: Record<HubQuota, Promise<unknown>> = {
    jobsOperations: Promise.resolve(),
    queries: Promise.resolve(),
  };
  /** Each quota's row as this instance last wrote it, to claim again without a read. */
  private readonly lastRows: Partial<Record<HubQuota, LedgerRow>> = {};
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(
    private readonly table: () => Promise<TableClient>,
    private readonly options: TableHubBudgetOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  async take(quota: HubQuota, options: TakeOptions = {}): Promise<boolean> {
    const count = options.count ?? 1;
    checkCount(count);
    const call = { abortSignal: options.abortSignal };
    return await takeWithin(() => this.inTurn(quota, () => this.attempt(quota, count, call)), {
      clock: this.clock,
      sleep: this.sleep,
      maxWaitMs: options.maxWaitMs ?? 0,
      abortSignal: options.abortSignal,
    });
  }

  async usage(options: StorageCallOptions = {}): Promise<Record<HubQuota, QuotaUsage>> {
    const client = await this.table();
    const usageOf = async (quota: HubQuota): Promise<QuotaUsage> => {
      const row = await readLedger(client, quota, options);
      return {
        usedLastMinute: usedInMinuteTo(row.entries, this.clock.now().getTime()),
        limitPerMinute: this.options.limits[quota],
      };
    };
    const [jobsOperations, queries] = await Promise.all([
      usageOf('jobsOperations'),
      usageOf('queries'),
    ]);
    return { jobsOperations, queries };
  }

  /** One attempt per quota at a time in this instance, so held calls are counted once. */
  private inTurn<T>(quota: HubQuota, work: () => Promise<T>): Promise<T> {
    const run = this.turns[quota].then(work, work);
    this.turns[quota] = run.catch(() => undefined);
    return run;
  }

  private async attempt(
    quota: HubQuota,
    count: number,
    call: StorageCallOptions,
  ): Promise<Attempt> {
    const window = windowAt(this.clock.now().getTime(), this.options.windowMs);
    const held = this.heldIn(quota, window);
    if (held.calls < count) {
      const outcome = await this.claim(quota, window, count - held.calls, count, call);
      if (!outcome.granted) return outcome;
    }
    held.calls -= count;
    held.served += count;
    return { granted: true };
  }

  /** What is held for `window`; calls left from an earlier window lapse (they were booked there). */
  private heldIn(quota: HubQuota, window: BudgetWindow): Held {
    const held = this.held[quota];
    if (held.startMs === window.startMs && held.endMs === window.endMs) return held;
    const servedBefore = held.endMs === window.startMs ? held.served : 0;
    this.held[quota] = { ...window, calls: 0, served: 0, servedBefore };
    return this.held[quota];
  }

  /**
   * How many calls to claim beyond the ones needed now: as many as this instance handed out so
   * far in this window or in the last one, up to the claim size, so a lone call claims one and
   * a burst soon claims whole batches; what lapses unspent stays small (docs/hub-budget.md).
   */
  private batchFor(held: Held): number {
    return Math.min(this.options.claimSize, Math.max(1, held.served, held.servedBefore));
  }

  /** Books `needed` calls or more in the row for `window`, adding them to what is held. */
  private async claim(
    quota: HubQuota,
    window: BudgetWindow,
    needed: number,
    count: number,
    call: StorageCallOptions,
  ): Promise<Attempt> {
    const client = await this.table();
    const limit = this.options.limits[quota];
    for (let conflict = 0; conflict < maxConflicts; conflict++) {
      // The row as this instance last wrote it: a write under its ETag lands only if nobody wrote
      // since, so it is exact when it lands, and optimistic (never short) when it does not.
      const row: LedgerRow =
        (conflict === 0 ? this.lastRows[quota] : undefined) ??
        (await readLedger(client, quota, call));
      const entries = liveEntries(row.entries, window);
      const free = remaining(entries, window, limit);
      if (free < needed) {
        // What is held lapses with this window, so room is needed for the whole take.
        return { granted: false, retryAtMs: nextRoomAt(entries, window, limit, count) };
      }
      const claimed = Math.min(free, Math.max(needed, this.batchFor(this.held[quota])));
      const written = await writeLedger(
        client,
        quota,
        withGrant(entries, window, claimed),
        row.etag,
        call,
      );
      if (written !== undefined) {
        this.lastRows[quota] = written;
        this.held[quota].calls += claimed;
        return { granted: true };
      }
      delete this.lastRows[quota];
    }
    return { granted: false, retryAtMs: this.clock.now().getTime() + this.options.retryMs };
  }
}
