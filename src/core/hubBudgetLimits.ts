import type { HubQuota } from './hubBudget';

/** What hubjobs' share of the hub's quotas is sized from (each a `Settings` field). */
export interface HubQuotaSizing {
  /** The hub's jobs-operations quota per minute: the tier's per unit × units, or the override. */
  jobsOperationsPerMinute: number;
  /** The hub's query quota per minute: the tier's per unit × units, or the override. */
  queriesPerMinute: number;
  /** Share of each hub quota hubjobs may spend, greater than 0 and at most 1. */
  hubQuotaShare: number;
  /** Share of hubjobs' own query budget that importing device results may use. */
  importQueryShare: number;
}

export interface HubBudgetLimits {
  /** hubjobs' budget per quota, in calls per any 60 seconds (whole calls, at least 1). */
  perMinute: Record<HubQuota, number>;
  /** The part of `perMinute.queries` imports may spend: a rate, not rounded. */
  importQueriesPerMinute: number;
}

/**
 * hubjobs' limits: the hub's quota × the share, rounded down (never above the share) but at
 * least one call, so a tiny override still lets hubjobs work (docs/hub-budget.md).
 */
export function hubBudgetLimits(sizing: HubQuotaSizing): HubBudgetLimits {
  // The epsilon keeps 100 × 0.29 at 29: binary fractions land a hair below.
  const share = (quota: number) => Math.max(1, Math.floor(quota * sizing.hubQuotaShare + 1e-9));
  const queries = share(sizing.queriesPerMinute);
  return {
    perMinute: { jobsOperations: share(sizing.jobsOperationsPerMinute), queries },
    importQueriesPerMinute: queries * sizing.importQueryShare,
  };
}
