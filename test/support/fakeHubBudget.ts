import type { HubBudget, HubQuota, QuotaUsage, TakeOptions } from '../../src/core/hubBudget';

/**
 * A hub budget with a settable allowance per quota: `take` grants while the allowance lasts and
 * never waits, and every request (granted or refused, with its maxWaitMs) is recorded.
 */
export class FakeHubBudget implements HubBudget {
  readonly allowance: Record<HubQuota, number>;
  readonly taken: Record<HubQuota, number> = { jobsOperations: 0, queries: 0 };
  readonly requests: { quota: HubQuota; count: number; maxWaitMs: number; granted: boolean }[] = [];

  constructor(allowance: Partial<Record<HubQuota, number>> = {}) {
    this.allowance = { jobsOperations: Infinity, queries: Infinity, ...allowance };
  }

  take(quota: HubQuota, options: TakeOptions = {}): Promise<boolean> {
    const count = options.count ?? 1;
    const granted = this.taken[quota] + count <= this.allowance[quota];
    if (granted) this.taken[quota] += count;
    this.requests.push({ quota, count, maxWaitMs: options.maxWaitMs ?? 0, granted });
    return Promise.resolve(granted);
  }

  usage(): Promise<Record<HubQuota, QuotaUsage>> {
    const usageOf = (quota: HubQuota): QuotaUsage => ({
      usedLastMinute: this.taken[quota],
      limitPerMinute: this.allowance[quota],
    });
    return Promise.resolve({
      jobsOperations: usageOf('jobsOperations'),
      queries: usageOf('queries'),
    });
  }
}
