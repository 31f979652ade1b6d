import {
  loadSettings,
  SettingsError,
  settingDeclarations,
  type SettingDeclaration,
  type Settings,
} from '../../../src/settings';
import type { InfraSettings } from './infraSnapshot';

const setSections = ['app', 'shared', 'host'] as const;

/** Every name infra sets, with the class section it is set in. */
export function setByInfra(settings: InfraSettings): Map<string, (typeof setSections)[number]> {
  return new Map(
    setSections.flatMap((section) =>
      Object.keys(settings[section] ?? {}).map((name) => [name, section] as const),
    ),
  );
}

/** Where infra puts each name: set by class, left to its default, or not set. */
interface Accounting {
  set: Map<string, (typeof setSections)[number]>;
  left: Set<string>;
  notSet: Set<string>;
}

/**
 * Each declared setting of class app, shared or host is accounted for exactly once: set in its
 * class's section, left to its default (app only), or not set with a reason; local-only forms are
 * never set, and nothing undeclared is named.
 */
export function accountingProblems(
  settings: InfraSettings,
  declarations: readonly SettingDeclaration[] = settingDeclarations,
): string[] {
  const accounting: Accounting = {
    set: setByInfra(settings),
    left: new Set(settings.leftToDefault ?? []),
    notSet: new Set(Object.keys(settings.notSet ?? {})),
  };
  return [
    ...declarations
      .filter((d) => d.class !== 'local')
      .flatMap((d) => placementProblems(d, accounting)),
    ...namingProblems(accounting, declarations),
  ];
}

function placementProblems(d: SettingDeclaration, { set, left, notSet }: Accounting): string[] {
  const problems: string[] = [];
  const places = [set.has(d.name), left.has(d.name), notSet.has(d.name)].filter(Boolean).length;
  if (places === 0) {
    problems.push(
      `${d.name} (${d.class}) is neither set, left to its default nor listed as not set`,
    );
  }
  if (places > 1) problems.push(`${d.name} is accounted for more than once`);
  const section = set.get(d.name);
  if (section !== undefined && section !== d.class) {
    problems.push(`${d.name} is ${d.class}-class but set under "${section}"`);
  }
  if (left.has(d.name) && d.class !== 'app') {
    problems.push(
      `${d.name} is ${d.class}-class: the Functions host never sees the app's default, so infra must set it`,
    );
  }
  if (d.localOnlyForm !== undefined && !notSet.has(d.name)) {
    problems.push(`${d.name} is a local-only form; infra must not set it`);
  }
  return problems;
}

/** Infra names only declared settings, and never a local one. */
function namingProblems(
  { set, left, notSet }: Accounting,
  declarations: readonly SettingDeclaration[],
): string[] {
  const declared = new Map(declarations.map((d) => [d.name, d]));
  return [...set.keys(), ...left, ...notSet].flatMap((name) => {
    const d = declared.get(name);
    if (d === undefined) {
      return [`${name} is not declared in src/settings`];
    }
    return d.class === 'local' ? [`${name} is local-class; infra never names it`] : [];
  });
}

/**
 * The app-class settings the settings module reads in Azure mode: every declared app setting but
 * its local-only forms and those whose default applies in Azure too.
 */
export function azureAppSettingNames(
  settings: InfraSettings,
  declarations: readonly SettingDeclaration[] = settingDeclarations,
): string[] {
  const left = new Set(settings.leftToDefault ?? []);
  return declarations
    .filter((d) => d.class === 'app' && d.localOnlyForm === undefined && !left.has(d.name))
    .map((d) => d.name)
    .sort();
}

/** The `{{name}}` placeholders in the values infra sets. */
export function placeholdersIn(settings: InfraSettings): Set<string> {
  const values = setSections.flatMap((section) => Object.values(settings[section] ?? {}));
  return new Set(
    values.flatMap((value) => [...String(value).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '')),
  );
}

/** The app settings infra sets, each placeholder replaced by a sample of what Azure puts there. */
export function azureEnv(
  settings: InfraSettings,
  samples: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const section of setSections) {
    for (const [name, value] of Object.entries(settings[section] ?? {})) {
      env[name] = String(value).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
        const sample = samples[key];
        if (sample === undefined) throw new Error(`no sample value for placeholder {{${key}}}`);
        return sample;
      });
    }
  }
  return env;
}

export type AzureLoad =
  { settings: Settings; problems: [] } | { settings?: undefined; problems: string[] };

/** Loads the settings module from exactly `env`, as the app does at start-up in Azure. */
export function loadAzure(env: Record<string, string>): AzureLoad {
  try {
    return { settings: loadSettings(env), problems: [] };
  } catch (error) {
    if (error instanceof SettingsError) return { problems: error.problems };
    throw error;
  }
}

/**
 * What Azure needs from the loaded settings: the hub and storage reached by the user-assigned
 * identity (its client id), and the blob service the host keeps its locks in.
 */
export function identityProblems(load: AzureLoad, clientId: string): string[] {
  if (load.settings === undefined) return load.problems;
  const { hub, storage } = load.settings;
  const problems: string[] = [];
  if (hub.kind !== 'identity' || hub.clientId !== clientId)
    problems.push('the hub is not reached by the identity');
  if (storage.kind !== 'identity' || storage.clientId !== clientId) {
    problems.push('storage is not reached by the identity');
  } else if (storage.blobServiceUri === undefined) problems.push('storage has no blob service URI');
  if (load.settings.hubEndpoint !== undefined || load.settings.hubCaFile !== undefined) {
    problems.push('the local hub redirect is set');
  }
  return problems;
}

/**
 * Every app setting infra sets is read: without it the settings fail to load or load differently.
 */
export function unreadAppSettings(env: Record<string, string>, names: readonly string[]): string[] {
  const full = JSON.stringify(loadAzure(env));
  return names.filter((name) => {
    const { [name]: _dropped, ...rest } = env;
    return JSON.stringify(loadAzure(rest)) === full;
  });
}
