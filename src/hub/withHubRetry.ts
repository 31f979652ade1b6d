import { setTimeout as delay } from 'node:timers/promises';
import { runAbortable } from './abortableRequests';
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
  /**
   * Runs before every attempt, retries included (each is another hub request), outside the call
   * timeout; throws `HubCallError('overBudget')` when the attempt may not be sent.
   */
  beforeAttempt?: () => Promise<void>;
}

/**
 * Runs a hub call, retrying throttled and transient failures with jittered exponential backoff
 * that honours `Retry-After`, but only when the call is safe to repeat. Each attempt learns the
 * failure of the one before (a create reads before it repeats an answer it never got). Always
 * throws `HubCallError`; `overBudget` only when no attempt was sent.
 */
export async function withHubRetry<T>(
  call: (attempt: number, previousFailure: HubCallError | undefined) => Promise<T>,
  policy: HubCallPolicy,
  options: HubRetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  let previousFailure: HubCallError | undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await policy.beforeAttempt?.();
      return await withCallTimeout(() => call(attempt, previousFailure), options.callTimeoutMs);
    } catch (error) {
      const failure = classifyHubError(error);
      // overBudget means "nothing was sent": once an attempt went out, its failure is the answer.
      if (failure.kind === 'overBudget' && previousFailure !== undefined) throw previousFailure;
      const waitMs = retryDelayMs(failure, attempt, policy, options);
      if (waitMs === undefined) throw failure;
      previousFailure = failure;
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

/**
 * Races the call against a timer. On timeout the call's HTTP requests are destroyed (see
 * abortableRequests), so no socket stays open waiting for an answer nobody reads.
 */
export async function withCallTimeout<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const failure = new HubCallError(
        'transient',
        `IoT Hub did not answer within ${timeoutMs} ms.`,
      );
      controller.abort(failure);
      reject(failure);
    }, timeoutMs);
  });
  try {
    return await Promise.race([runAbortable(controller.signal, call), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a failed call may still have taken effect at the hub: no answer came (a timeout, a
 * broken connection) or a 5xx, which a gateway in front of the hub can send after forwarding.
 */
export function outcomeUnknown(failure: HubCallError): boolean {
  const status = failure.details.status;
  return status === undefined || status >= 500;
}
