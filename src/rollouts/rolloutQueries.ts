import type { Page } from '../core/page';
import type { RolloutListFilter } from './ports';
import type { StoredRollout } from './rollout';
import type { RolloutDeps } from './rolloutDeps';
import { RolloutNotFoundError } from './rolloutErrors';

export async function getRollout(
  rolloutId: string,
  deps: Pick<RolloutDeps, 'rollouts'>,
): Promise<StoredRollout> {
  const rollout = await deps.rollouts.get(rolloutId);
  if (rollout === undefined) throw new RolloutNotFoundError(rolloutId);
  return rollout;
}

export function listRollouts(
  filter: RolloutListFilter,
  page: { pageSize: number; continuationToken?: string },
  deps: Pick<RolloutDeps, 'rollouts'>,
): Promise<Page<StoredRollout>> {
  return deps.rollouts.list(filter, page);
}
