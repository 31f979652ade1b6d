import type { TierLimits } from '../options';
import { hubErrors } from '../hubError';
import type { HubRouteName } from './routes';
import { TokenBucket } from './tokenBucket';

const jobsOperations: ReadonlySet<HubRouteName> = new Set([
  'jobs.create',
  'jobs.get',
  'jobs.cancel',
  'jobs.query',
]);

/**
 * The per-minute throttles the HTTP layer owns (docs/iothub.md, Quotas): jobs operations and queries,
 * both scaled by the hub's units. Exceeding one answers 429 429001 with Retry-After.
 */
export class HubRateLimits {
  private readonly jobs: TokenBucket;
  private readonly queries: TokenBucket;

  constructor(
    limits: Pick<TierLimits, 'jobsOperationsPerMinute' | 'queriesPerMinute'>,
    units = 1,
    now: () => number = Date.now,
  ) {
    this.jobs = new TokenBucket(limits.jobsOperationsPerMinute * units, now);
    this.queries = new TokenBucket(limits.queriesPerMinute * units, now);
  }

  /** Throws the hub's throttling error when `route` is over its rate. */
  admit(route: HubRouteName): void {
    const bucket = jobsOperations.has(route)
      ? this.jobs
      : route === 'devices.query'
        ? this.queries
        : undefined;
    const retryAfterSeconds = bucket?.take();
    if (retryAfterSeconds !== undefined) throw hubErrors.throttled(retryAfterSeconds);
  }
}
