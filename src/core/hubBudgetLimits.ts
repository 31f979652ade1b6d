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

/** The hub tiers whose job device-operation throttle is known. */
export type DeviceOperationTier = 'F1' | 'S1' | 'S2' | 'S3';

/**
 * Devices per second the hub's jobs operate on (update twin, invoke method): 10/s on F1 and S1,
 * the higher of 10/s and 1/s per unit on S2, 50/s per unit on S3.
 */
export function deviceOperationsPerSecond(tier: DeviceOperationTier, units: number): number {
  switch (tier) {
    case 'F1':
    case 'S1':
      return 10;
    case 'S2':
      return Math.max(10, units);
    case 'S3':
      return 50 * units;
  }
}
