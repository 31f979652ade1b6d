import { setTimeout as delay } from 'node:timers/promises';
import { classifyHubError } from './classifyHubError';
import { HubCallError } from '../core/hubCallError';

export interface HubRetryOptions {
  /** Retries after the first attempt (HUB_RETRY_COUNT). */
  retries: number;
  /** Backoff before the first retry (HUB_RETRY_BASE_MS); it doubles with every retry. */
  baseDelayMs: number;
  /**
   * Longest single wait. A `Retry-After` beyond it ends the retries at once: the caller (queue,
   * poller) is better placed to come back later than a function holding its slot.
   */
  maxDelayMs: number;
  /** Bound on each attempt (HUB_CALL_TIMEOUT_MS); a slower answer counts as a transient error. */
  callTimeoutMs: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests; returns a number in [0, 1). */
  random?: () => number;
}

export const defaultHubRetryOptions: HubRetryOptions = {
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  callTimeoutMs: 30_000,
};

export interface HubCallPolicy {
  /** Whether running the call twice does no harm (reads, cancel, a create that adopts on 409). */
  safeToRepeat: boolean;
}

/**
 * Runs a hub call, retrying throttled and transient failures with jittered exponential backoff
 * that honours `Retry-After`, but only when the call is safe to repeat. Always throws
 * `HubCallError`.
 */
export async function withHubRetry<T>(
  call: (attempt: number) => Promise<T>,
  policy: HubCallPolicy,
  options: HubRetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withCallTimeout(call(attempt), options.callTimeoutMs);
    } catch (error) {
      const failure = classifyHubError(error);
      const waitMs = retryDelayMs(failure, attempt, policy, options);
      if (waitMs === undefined) throw failure;
      await sleep(waitMs);
    }
  }
}

/** How long to wait before the next attempt, or undefined when there is none. */
export function retryDelayMs(
  failure: HubCallError,
  attempt: number,
  policy: HubCallPolicy,
  options: HubRetryOptions,
): number | undefined {
  if (!policy.safeToRepeat || !failure.retryable || attempt > options.retries) return undefined;
  const retryAfterMs = failure.details.retryAfterMs ?? 0;
  if (retryAfterMs > options.maxDelayMs) return undefined;
  return Math.max(backoffDelayMs(attempt, options), retryAfterMs);
}

/** "Equal jitter": half the exponential step for sure, the other half at random. */
export function backoffDelayMs(attempt: number, options: HubRetryOptions): number {
  const random = options.random ?? Math.random;
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** Races the call against a timer; the abandoned call may still finish, unobserved. */
export async function withCallTimeout<T>(pending: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new HubCallError('transient', `IoT Hub did not answer within ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
