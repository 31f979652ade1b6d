import type { ContainerRules } from '../rollouts/rolloutRequestSchema';
import type { RolloutDeps } from '../rollouts/rolloutDeps';
import type { ScheduleStore } from './ports';

/** The ports schedule use cases use: the rollouts' (a window starts one) and the schedules' own. */
export interface ScheduleDeps extends RolloutDeps {
  schedules: ScheduleStore;
  /** Which blob containers a template's `deviceIdsBlob` may never name. */
  rolloutRules: ContainerRules;
}
