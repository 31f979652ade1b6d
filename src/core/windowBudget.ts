import type { Clock } from './clock';
import { systemClock } from './clock';
import type { StorageCallOptions } from './storageCallOptions';
import { checkCount, realSleep, takeWithin, type Attempt, type Sleep } from './budgetWait';
import {
  liveEntries,
  nextRoomAt,
  remaining,
  usedInMinuteTo,
  windowAt,
  withGrant,
  type LedgerEntry,
} from './budgetLedger';
import type { HubBudget, HubQuota, QuotaUsage, TakeOptions } from './hubBudget';

export interface WindowBudgetOptions {
  /** Calls per quota in any 60 seconds. */
  limits: Record<HubQuota, number>;
  /** Length of an accounting window (docs/hub-budget.md). */
  windowMs: number;
  clock?: Clock;
  sleep?: Sleep;
}

/**
 * The hub budget of one process (a single instance, and the tests): the same windows and
 * rolling-minute rule as the shared budget, with the ledger held in memory.
 */
export class WindowBudget implements HubBudget {
  private readonly ledgers: Record<HubQuota, LedgerEntry[]> = { jobsOperations: [], queries: [] };
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(private readonly options: WindowBudgetOptions) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  async take(quota: HubQuota, options: TakeOptions = {}): Promise<boolean> {
    const count = options.count ?? 1;
    checkCount(count);
    return await takeWithin(() => Promise.resolve(this.attempt(quota, count)), {
      clock: this.clock,
      sleep: this.sleep,
      maxWaitMs: options.maxWaitMs ?? 0,
      abortSignal: options.abortSignal,
    });
  }

  usage(_options: StorageCallOptions = {}): Promise<Record<HubQuota, QuotaUsage>> {
    const nowMs = this.clock.now().getTime();
    const usageOf = (quota: HubQuota): QuotaUsage => ({
      usedLastMinute: usedInMinuteTo(this.ledgers[quota], nowMs),
      limitPerMinute: this.options.limits[quota],
    });
    return Promise.resolve({
      jobsOperations: usageOf('jobsOperations'),
      queries: usageOf('queries'),
    });
  }

  private attempt(quota: HubQuota, count: number): Attempt {
    const window = windowAt(this.clock.now().getTime(), this.options.windowMs);
    const entries = liveEntries(this.ledgers[quota], window);
    const limit = this.options.limits[quota];
    if (remaining(entries, window, limit) >= count) {
      this.ledgers[quota] = withGrant(entries, window, count);
      return { granted: true };
    }
    this.ledgers[quota] = entries;
    return { granted: false, retryAtMs: nextRoomAt(entries, window, limit, count) };
  }
}
