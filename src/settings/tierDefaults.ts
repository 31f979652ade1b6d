export const hubTiers = ['F1', 'S1', 'S2', 'S3'] as const;
export type HubTier = (typeof hubTiers)[number];

/** The hub's per-tier limits; rates are per unit. */
export interface TierDefaults {
  maxActiveJobs: number;
  queriesPerMinutePerUnit: number;
  jobsOperationsPerMinutePerUnit: number;
}

export const tierDefaults: Readonly<Record<HubTier, TierDefaults>> = {
  F1: { maxActiveJobs: 1, queriesPerMinutePerUnit: 20, jobsOperationsPerMinutePerUnit: 100 },
  S1: { maxActiveJobs: 1, queriesPerMinutePerUnit: 20, jobsOperationsPerMinutePerUnit: 100 },
  S2: { maxActiveJobs: 5, queriesPerMinutePerUnit: 20, jobsOperationsPerMinutePerUnit: 100 },
  S3: { maxActiveJobs: 10, queriesPerMinutePerUnit: 1000, jobsOperationsPerMinutePerUnit: 5000 },
};
