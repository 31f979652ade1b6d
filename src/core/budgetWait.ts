import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from './clock';

/** Waits `ms`; rejects when `signal` aborts. Injected so tests move a clock instead of waiting. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  delay(ms, undefined, signal === undefined ? {} : { signal });

/** One try at the budget: granted, or when trying again makes sense (undefined: never). */
export type Attempt = { granted: true } | { granted: false; retryAtMs: number | undefined };

export interface WaitOptions {
  clock: Clock;
  sleep: Sleep;
  maxWaitMs: number;
  abortSignal?: AbortSignal | undefined;
}

/**
 * Tries until granted; sleeps to each retry time but answers false at once when that time lies
 * past the deadline, so a take that cannot succeed in time does not wait for nothing.
 */
export async function takeWithin(
  attempt: () => Promise<Attempt>,
  options: WaitOptions,
): Promise<boolean> {
  const deadline = options.clock.now().getTime() + Math.max(0, options.maxWaitMs);
  for (;;) {
    options.abortSignal?.throwIfAborted();
    const outcome = await attempt();
    if (outcome.granted) return true;
    if (outcome.retryAtMs === undefined || outcome.retryAtMs > deadline) return false;
    const waitMs = Math.max(0, outcome.retryAtMs - options.clock.now().getTime());
    await options.sleep(waitMs, options.abortSignal);
  }
}

/** A take's `count` is a whole number of calls, at least one. */
export function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`A hub budget take needs a whole count of at least 1 (got ${count}).`);
  }
}
