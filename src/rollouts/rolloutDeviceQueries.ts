import type { Page } from '../core/page';
import type { DeviceOutcome } from '../jobs/job';
import { boundPage, type PageRequest } from '../jobs/jobQueries';
import type { RolloutDeviceResult } from './ports';
import type { RolloutDeps } from './rolloutDeps';
import { getRollout } from './rolloutQueries';

export type RolloutDevicesFilter = { outcome?: DeviceOutcome };

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
