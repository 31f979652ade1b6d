import type { ReadDeclaration } from './declaration';
import { readDeclared } from './readDeclared';
import { integerSetting } from './settingSchemas';
import type { Env } from './settingValue';
import { deviceOperationsPerSecond } from '../core/hubBudgetLimits';
import { tierDefaults } from './tierDefaults';
import type { TunableSettings } from './tunables';

/** Limits derived from the tier unless set. */
export const hubLimitDeclarations = [
  {
    name: 'HUB_MAX_ACTIVE_JOBS',
    class: 'app',
    schema: integerSetting(1, 100),
    doc: "How many jobs may run at the hub at once; unset, the tier's concurrent-job limit.",
  },
  {
    name: 'HUB_JOBS_OPS_PER_MINUTE',
    class: 'app',
    schema: integerSetting(1, 1e6),
    doc: "The hub's jobs-operations quota per minute (create, get, cancel, query jobs); unset, the tier's quota times `HUB_UNITS`.",
  },
  {
    name: 'HUB_DEVICE_OPS_PER_SECOND',
    class: 'app',
    schema: integerSetting(1, 1e6),
    doc: "Devices a second the hub's jobs operate on (its job device-operation throttle); rollouts time their next chunk and their ETA by it. Unset, the tier's: 10 on F1 and S1, the higher of 10 and the units on S2, 50 a unit on S3.",
  },
  {
    name: 'HUB_QUERIES_PER_MINUTE',
    class: 'app',
    schema: integerSetting(1, 1e6),
    doc: "The hub's query quota per minute; unset, the tier's quota times `HUB_UNITS`.",
  },
] as const satisfies readonly ReadDeclaration[];

export interface HubLimits {
  /** `HUB_MAX_ACTIVE_JOBS`, else the tier's concurrent-job limit. */
  maxActiveJobs: number;
  /** `HUB_JOBS_OPS_PER_MINUTE`, else the tier's jobs-operations quota times the units. */
  jobsOperationsPerMinute: number;
  /** `HUB_QUERIES_PER_MINUTE`, else the tier's query quota times the units. */
  queriesPerMinute: number;
  /** `HUB_DEVICE_OPS_PER_SECOND`, else the tier's job device-operation throttle. */
  deviceOperationsPerSecond: number;
}

/** The explicit limits, else the tier's; undefined when either limit setting is bad. */
export function readHubLimits(
  env: Env,
  tunables: Pick<TunableSettings, 'hubTier' | 'hubUnits'> | undefined,
  problems: string[],
): HubLimits | undefined {
  const values = readDeclared(env, hubLimitDeclarations, problems);
  if (values === undefined || tunables === undefined) return undefined;
  const tier = tierDefaults[tunables.hubTier];
  return {
    maxActiveJobs: values.HUB_MAX_ACTIVE_JOBS ?? tier.maxActiveJobs,
    jobsOperationsPerMinute:
      values.HUB_JOBS_OPS_PER_MINUTE ?? tier.jobsOperationsPerMinutePerUnit * tunables.hubUnits,
    queriesPerMinute:
      values.HUB_QUERIES_PER_MINUTE ?? tier.queriesPerMinutePerUnit * tunables.hubUnits,
    deviceOperationsPerSecond:
      values.HUB_DEVICE_OPS_PER_SECOND ??
      deviceOperationsPerSecond(tunables.hubTier, tunables.hubUnits),
  };
}
