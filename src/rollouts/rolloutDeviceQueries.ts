import { allPages, type Page } from '../core/page';
import { boundPage, type PageRequest } from '../jobs/jobQueries';
import type { RolloutDeviceOutcome, RolloutDeviceResult } from './ports';
import type { RolloutDeps } from './rolloutDeps';
import { getRollout } from './rolloutQueries';

export type RolloutDevicesFilter = { outcome?: RolloutDeviceOutcome };

/**
 * One page of a rollout's merged device rows, in device-id order; an unknown rollout is a 404,
 * and a token continues only the rollout and filter it was issued for.
 */
export async function listRolloutDevices(
  rolloutId: string,
  filter: RolloutDevicesFilter,
  page: PageRequest,
  deps: Pick<RolloutDeps, 'rollouts' | 'rolloutDeviceResults'>,
): Promise<Page<RolloutDeviceResult>> {
  await getRollout(rolloutId, deps);
  return boundPage({ listing: 'rolloutDevices', rolloutId, filter }, page, (storePage) =>
    deps.rolloutDeviceResults.list(rolloutId, filter, storePage),
  );
}

/** Every merged row of the rollout whose latest outcome is `outcome`, all pages. */
export async function allRolloutDevicesWith(
  rolloutId: string,
  outcome: RolloutDeviceOutcome,
  deps: Pick<RolloutDeps, 'rolloutDeviceResults'>,
): Promise<RolloutDeviceResult[]> {
  const rows: RolloutDeviceResult[] = [];
  for await (const page of allPages((continuationToken) =>
    deps.rolloutDeviceResults.list(
      rolloutId,
      { outcome },
      { pageSize: 1000, ...(continuationToken === undefined ? {} : { continuationToken }) },
    ),
  )) {
    rows.push(...page.items);
  }
  return rows;
}
