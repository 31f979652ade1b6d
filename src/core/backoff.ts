export interface RetryDelayOptions {
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * Visibility delay before submission attempt `attempts + 1`: min(base·2^attempts, max) plus up to
 * one base of jitter, so that jobs deferred together do not come back together. A hub-given
 * `Retry-After` wins when it is longer.
 */
export function submitRetryDelaySeconds(
  attempts: number,
  options: RetryDelayOptions,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exponent = Math.min(Math.max(attempts, 0), 30);
  const growing = Math.min(options.baseSeconds * 2 ** exponent, options.maxSeconds);
  const jitter = random() * options.baseSeconds;
  const retryAfter = retryAfterMs === undefined ? 0 : Math.ceil(retryAfterMs / 1000);
  return Math.max(Math.ceil(growing + jitter), retryAfter, 1);
}
