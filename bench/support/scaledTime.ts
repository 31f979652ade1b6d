import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../../src/core/clock';
import type { Sleep } from '../../src/core/budgetWait';

/**
 * A clock and a sleep on which time runs `timeScale` times faster than the wall clock, so a hub
 * budget sized in real per-minute quotas paces a hub whose rates are scaled by the same factor.
 */
export function scaledTime(timeScale: number): { clock: Clock; sleep: Sleep } {
  const startedMs = Date.now();
  return {
    clock: { now: () => new Date(startedMs + (Date.now() - startedMs) * timeScale) },
    sleep: (ms, signal) =>
      delay(Math.ceil(ms / timeScale), undefined, signal === undefined ? {} : { signal }),
  };
}
