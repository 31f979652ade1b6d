import { readHubEndpoint, readHubSettings, type HubSettings } from './settings/hubSettings';
import { type Env, parseConnectionString, readSetting } from './settings/settingValue';
import { readStorageSettings, type StorageSettings } from './settings/storageSettings';
import {
  readOptionalInteger,
  readTunables,
  tierDefaults,
  type TunableSettings,
} from './settings/tunables';

export type { Env } from './settings/settingValue';
export type { HubSettings } from './settings/hubSettings';
export type { StorageSettings } from './settings/storageSettings';
export { hubTiers, tierDefaults } from './settings/tunables';
export type { HubTier, TierDefaults, TunableSettings } from './settings/tunables';

/** Everything the app reads from its settings (SPEC §6), validated. */
export interface Settings extends TunableSettings {
  hub: HubSettings;
  /** Local only: where the hub really listens (the emulator). */
  hubEndpoint?: string;
  /** Local only: PEM file of the CA that signed the endpoint's certificate. */
  hubCaFile?: string;
  storage: StorageSettings;
  /** `HUB_MAX_ACTIVE_JOBS`, else the tier's concurrent-job limit. */
  maxActiveJobs: number;
  /** `HUB_QUERIES_PER_MINUTE`, else the tier's query quota times the units. */
  queriesPerMinute: number;
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
  const storage = readStorageSettings(env, problems);
  const hubEndpoint = readHubEndpoint(env, problems);
  const tunables = readTunables(env, problems);
  const maxActiveJobs = readOptionalInteger(env, 'HUB_MAX_ACTIVE_JOBS', 1, 100, problems);
  const queriesPerMinute = readOptionalInteger(env, 'HUB_QUERIES_PER_MINUTE', 1, 1e6, problems);
  if (problems.length > 0 || !hub || !storage || !tunables) throw new SettingsError(problems);
  const tier = tierDefaults[tunables.hubTier];
  const hubCaFile = readSetting(env, 'IOTHUB_CA_FILE');
  return {
    hub,
    ...(hubEndpoint === undefined ? {} : { hubEndpoint }),
    ...(hubCaFile === undefined ? {} : { hubCaFile }),
    storage,
    ...tunables,
    maxActiveJobs: maxActiveJobs ?? tier.maxActiveJobs,
    queriesPerMinute: queriesPerMinute ?? tier.queriesPerMinutePerUnit * tunables.hubUnits,
  };
}

/** The secret values a settings object holds, for the log redaction to remove verbatim. */
export function secretValuesOf(settings: Settings): string[] {
  const connectionStrings = [
    settings.hub.kind === 'connectionString' ? settings.hub.connectionString : undefined,
    settings.storage.kind === 'connectionString' ? settings.storage.connectionString : undefined,
  ].filter((value): value is string => value !== undefined);
  const keys = connectionStrings.flatMap((connectionString) =>
    [...parseConnectionString(connectionString)]
      .filter(([name]) => ['sharedaccesskey', 'accountkey', 'sharedaccesssignature'].includes(name))
      .map(([, value]) => value),
  );
  return [...connectionStrings, ...keys];
}
