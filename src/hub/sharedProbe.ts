import type { Clock } from '../core/clock';

/**
 * Shares one reachability probe between its callers. An outcome, good or bad, is reused for
 * `reuseMs` after it settles, and callers that arrive while a probe is in flight wait for that
 * probe. /health is anonymous: without this, every request to it would spend one of the hub's
 * jobs operations, the quota that the poller and creates depend on.
 */
export function sharedProbe(
  probe: () => Promise<void>,
  reuseMs: number,
  clock: Clock,
): () => Promise<void> {
  type Probe = { outcome: Promise<void>; settledAtMs?: number };
  let last: Probe | undefined;
  return () => {
    const nowMs = clock.now().getTime();
    if (
      last !== undefined &&
      (last.settledAtMs === undefined || nowMs - last.settledAtMs < reuseMs)
    ) {
      return last.outcome;
    }
    const current: Probe = { outcome: probe() };
    const settle = () => {
      current.settledAtMs = clock.now().getTime();
    };
    current.outcome.then(settle, settle);
    last = current;
    return current.outcome;
  };
}
