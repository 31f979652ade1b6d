import { ConcurrencyError } from '../core/errors';
import type { Rollout, StoredRollout } from './rollout';
import type { RolloutStore } from './ports';
import { RolloutNotFoundError } from './rolloutErrors';

/**
 * Applies `change` and stores it under the rollout's revision; when another writer got there
 * first, re-reads and decides again. `change` answers `undefined` when nothing needs writing.
 */
export async function updateRolloutGuarded(
  store: RolloutStore,
  rollout: StoredRollout,
  change: (current: StoredRollout) => Rollout | undefined,
  maxAttempts = 5,
): Promise<{ rollout: StoredRollout; written: boolean }> {
  let current = rollout;
  for (let attempt = 1; ; attempt++) {
    const next = change(current);
    if (next === undefined) return { rollout: current, written: false };
    try {
      const stored = await store.update({ ...next, revision: current.revision });
      return { rollout: stored, written: true };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
      const fresh = await store.get(rollout.rolloutId);
      if (fresh === undefined) throw new RolloutNotFoundError(rollout.rolloutId);
      current = fresh;
    }
  }
}
