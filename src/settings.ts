import { readHubSettings, localHubDeclarations, type HubSettings } from './settings/hubSettings';
import { readDeclared } from './settings/readDeclared';
import { type Env, parseConnectionString } from './settings/settingValue';
import { readStorageSettings, type StorageSettings } from './settings/storageSettings';
import { readHubLimits, type HubLimits } from './settings/hubLimits';
import { readTunables, type TunableSettings } from './settings/tunables';
import { readHubBudgetSettings, type HubBudgetSettings } from './settings/hubBudgetSettings';
import { settingDeclarations } from './settings/declarations';
import { readRolloutSettings, type RolloutSettings } from './settings/rolloutSettings';
import { readScheduleSettings, type ScheduleSettings } from './settings/scheduleSettings';

export type { Env } from './settings/settingValue';
export type { HubSettings } from './settings/hubSettings';
export type { StorageSettings } from './settings/storageSettings';
export { hubTiers, tierDefaults } from './settings/tierDefaults';
export type { HubTier, TierDefaults } from './settings/tierDefaults';
export type { TunableSettings } from './settings/tunables';
export type { HubLimits } from './settings/hubLimits';
export type { HubBudgetSettings } from './settings/hubBudgetSettings';
export { settingClasses, type SettingClass, type SettingDeclaration } from './settings/declaration';
export {
  declaredSettingNames,
  settingDeclarations,
  settingsOfClass,
  type SettingDescription,
} from './settings/declarations';

/** Everything the app reads from its settings (declared in src/settings/), validated. */
export interface Settings
  extends TunableSettings, HubLimits, HubBudgetSettings, RolloutSettings, ScheduleSettings {
  hub: HubSettings;
  /** Local only: where the hub really listens (the emulator). */
  hubEndpoint?: string;
  /** Local only: PEM file of the CA that signed the endpoint's certificate. */
  hubCaFile?: string;
  storage: StorageSettings;
}

/** Thrown by `loadSettings`; the message names every bad or missing setting, never a secret. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }

  /** The names of the settings at fault (each problem starts with one). */
  get settingNames(): string[] {
    return [...new Set(this.problems.map((problem) => problem.split(' ')[0] ?? problem))];
  }
}

/** Reads and validates every app setting; the one place that reads `process.env`. */
export function loadSettings(env: Env = process.env): Settings {
  const problems: string[] = [];
  const hub = readHubSettings(env, problems);
  const local = readDeclared(env, localHubDeclarations, problems);
  const storage = readStorageSettings(env, problems);
  const tunables = readTunables(env, problems);
  const limits = readHubLimits(env, tunables, problems);
  const budget = readHubBudgetSettings(env, problems);
  const rollouts = readRolloutSettings(env, problems);
  const schedules = readScheduleSettings(env, problems);
  if (
    problems.length > 0 ||
    !hub ||
    !local ||
    !storage ||
    !tunables ||
    !limits ||
    !budget ||
    !rollouts ||
    !schedules
  ) {
    throw new SettingsError(problems);
  }
  return {
    hub,
    ...(local.IOTHUB_ENDPOINT === undefined ? {} : { hubEndpoint: local.IOTHUB_ENDPOINT }),
    ...(local.IOTHUB_CA_FILE === undefined ? {} : { hubCaFile: local.IOTHUB_CA_FILE }),
    storage,
    ...tunables,
    ...limits,
    ...budget,
    ...rollouts,
    ...schedules,
  };
}

/** What sizes and paces the hub budget (docs/hub-budget.md), as the settings define them. */
export type HubBudgetSizing = Pick<
  Settings,
  | 'jobsOperationsPerMinute'
  | 'queriesPerMinute'
  | 'importQueryShare'
  | 'hubQuotaShare'
  | 'hubBudgetWindowSeconds'
  | 'hubBudgetClaimSize'
  | 'hubBudgetRetryMs'
>;

/** The hub budget's settings alone, read from `env` (no connection needed); defaults when unset. */
export function hubBudgetSizingOf(env: Env = {}): HubBudgetSizing {
  const problems: string[] = [];
  const tunables = readTunables(env, problems);
  const limits = readHubLimits(env, tunables, problems);
  const budget = readHubBudgetSettings(env, problems);
  if (problems.length > 0 || !tunables || !limits || !budget) throw new SettingsError(problems);
  const { jobsOperationsPerMinute, queriesPerMinute } = limits;
  return {
    jobsOperationsPerMinute,
    queriesPerMinute,
    importQueryShare: tunables.importQueryShare,
    ...budget,
  };
}

/** The secret values a settings object holds, for the log redaction to remove verbatim. */
export function secretValuesOf(settings: Settings): string[] {
  return withKeysInside([
    settings.hub.kind === 'connectionString' ? settings.hub.connectionString : undefined,
    settings.storage.kind === 'connectionString' ? settings.storage.connectionString : undefined,
  ]);
}

/** The values of every setting declared secret in `env` (the local host's, say), keys inside too. */
export function secretSettingValues(env: Env): string[] {
  return withKeysInside(settingDeclarations.filter((d) => d.secret).map((d) => env[d.name]));
}

function withKeysInside(values: readonly (string | undefined)[]): string[] {
  const present = values.filter((value): value is string => value !== undefined && value !== '');
  const keys = present.flatMap((value) =>
    [...parseConnectionString(value)]
      .filter(([name]) => ['sharedaccesskey', 'accountkey', 'sharedaccesssignature'].includes(name))
      .map(([, key]) => key),
  );
  return [...present, ...keys];
}
