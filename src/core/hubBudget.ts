import type { StorageCallOptions } from './storageCallOptions';

/**
 * The hub quotas hubjobs budgets (docs/hub-budget.md): jobs operations (create, get, cancel,
 * query of jobs) and device queries (`devices/query`, e.g. `devices.jobs` result pages).
 */
export type HubQuota = 'jobsOperations' | 'queries';

export const hubQuotas: readonly HubQuota[] = ['jobsOperations', 'queries'];

export interface TakeOptions extends StorageCallOptions {
  /** How many calls' worth to take at once (default 1). */
  count?: number;
  /** How long to wait for the budget at most (default 0: take now or not at all). */
  maxWaitMs?: number;
}

export interface QuotaUsage {
  /** Calls hubjobs granted itself in the last minute, across every instance it can see. */
  usedLastMinute: number;
  /** hubjobs' share of the hub's quota, per minute. */
  limitPerMinute: number;
}

/**
 * hubjobs' share of the hub's quotas. Every hub call draws from it before it is sent, so hubjobs
 * never sends a call just to earn a 429; the hub's own 429 stays handled as the fallback.
 */
export interface HubBudget {
  /**
   * Takes `count` calls of `quota`, waiting at most `maxWaitMs` for them; resolves false, having
   * taken nothing, when they did not come in time.
   */
  take(quota: HubQuota, options?: TakeOptions): Promise<boolean>;
  usage(options?: StorageCallOptions): Promise<Record<HubQuota, QuotaUsage>>;
}
