import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readLocalSettingsValues } from '../../../dev/host/hostSettings';
import { functionDeclarations } from '../../../src/functions/declarations';
import { settingDeclarations } from '../../../src/settings';
import { filesUnder, keysOf, parseBicep, variableOf } from './bicep';
import { bindingProblems, bindingSettingsOf } from './bindingSettings';
import type { InfraSnapshot } from './infraSnapshot';
import {
  accountingProblems,
  azureAppSettingNames,
  azureEnv,
  identityProblems,
  loadAzure,
  placeholdersIn,
  setByInfra,
  unreadAppSettings,
} from './settingsChecks';

const repoRoot = path.join(__dirname, '../../..');

/** What Azure puts where infra/app-settings.json holds a `{{placeholder}}`, by example. */
export const placeholderSamples: Readonly<Record<string, string>> = {
  hubHostName: 'hub-sample.azure-devices.net',
  // Not the declared defaults, so that leaving either out would show.
  hubTier: 'S2',
  hubUnits: '2',
  identityClientId: '11111111-2222-4333-8444-555555555555',
  tableServiceUri: 'https://stsample.table.core.windows.net/',
  queueServiceUri: 'https://stsample.queue.core.windows.net/',
  blobServiceUri: 'https://stsample.blob.core.windows.net/',
  deploymentContainer: 'app-package-sample',
  appInsightsConnectionString:
    'IngestionEndpoint=https://sample.in.applicationinsights.azure.com/;ApplicationId=sample',
};

function differences(
  label: string,
  actual: readonly string[],
  expected: readonly string[],
): string[] {
  const missing = expected.filter((name) => !actual.includes(name));
  const extra = actual.filter((name) => !expected.includes(name));
  return [
    ...missing.map(
      (name) => `${name} is an app setting the app reads in Azure but ${label} lacks it`,
    ),
    ...extra.map((name) => `${name} is set in ${label} but the app does not read it in Azure`),
  ];
}

function appParity({ settings }: InfraSnapshot): string[] {
  const setApp = Object.keys(settings.app ?? {}).sort();
  const env = azureEnv(settings, placeholderSamples);
  const unread = unreadAppSettings(env, setApp).map(
    (name) => `${name} is set by infra, but the app loads the same without it`,
  );
  return [...differences('infra', setApp, azureAppSettingNames(settings)), ...unread];
}

function azureMode({ settings }: InfraSnapshot): string[] {
  const load = loadAzure(azureEnv(settings, placeholderSamples));
  return identityProblems(load, placeholderSamples.identityClientId ?? '');
}

function placeholders({ settings, bicep }: InfraSnapshot): string[] {
  const loader = bicep.find((file) =>
    file.text.includes("loadJsonContent('../app-settings.json')"),
  );
  if (loader === undefined) return ['no Bicep file loads app-settings.json'];
  const substituted = new Set(keysOf(variableOf(parseBicep(loader.text), 'placeholders')));
  const used = placeholdersIn(settings);
  return [
    ...[...used]
      .filter((key) => !substituted.has(key))
      .map((key) => `{{${key}}} is never replaced in ${loader.file}`),
    ...[...substituted]
      .filter((key) => !used.has(key))
      .map((key) => `${loader.file} replaces {{${key}}}, used by no setting`),
    ...[...used]
      .filter((key) => !(key in placeholderSamples))
      .map((key) => `{{${key}}} has no sample value in the tests`),
  ];
}

function bindings({ settings }: InfraSnapshot): string[] {
  return bindingProblems(
    bindingSettingsOf(functionDeclarations),
    new Set(setByInfra(settings).keys()),
  );
}

/** The app never reads a host setting (no schema, not named in src/ outside src/settings). */
function hostOnlyFromInfra({ settings }: InfraSnapshot): string[] {
  const host = settingDeclarations.filter((d) => d.class === 'host');
  const sources = sourceTexts();
  const problems = host.flatMap((d) => [
    ...(d.schema === undefined ? [] : [`${d.name} is host-class but the app parses it`]),
    ...sources
      .filter(([, text]) => text.includes(d.name))
      .map(([file]) => `${d.name} is host-class but ${file} names it`),
    ...(d.name in (settings.host ?? {}) || d.name in (settings.notSet ?? {})
      ? []
      : [`${d.name} is host-class: only infra can set it, and it does not`]),
  ]);
  return problems;
}

/** Local settings and local-only forms are never set by infra, and all run locally from the sample. */
function localNeverSet(snapshot: InfraSnapshot): string[] {
  const set = setByInfra(snapshot.settings);
  const sample = readLocalSettingsValues(path.join(repoRoot, 'local.settings.sample.json'));
  const local = settingDeclarations.filter(
    (d) => d.class === 'local' || d.localOnlyForm !== undefined,
  );
  return local.flatMap((d) => [
    ...(set.has(d.name) ? [`${d.name} is local-only but infra sets it`] : []),
    ...(d.name in sample
      ? []
      : [`${d.name} is local-only but local.settings.sample.json lacks it`]),
    ...(d.class === 'local'
      ? [...snapshot.files]
          .filter(([, text]) => text.includes(d.name))
          .map(([file]) => `${d.name} is local-only but infra/${file} names it`)
      : []),
  ]);
}

/** The app's sources but the settings module, which declares every setting by name. */
function sourceTexts(): [string, string][] {
  const src = path.join(repoRoot, 'src');
  return filesUnder(src)
    .filter((file) => !file.startsWith('settings/') && file.endsWith('.ts'))
    .map((file) => [`src/${file}`, readFileSync(path.join(src, file), 'utf8')]);
}

/** Each settings check by name: the problems it finds in a snapshot of infra/. */
export const settingsChecks: Record<string, (snapshot: InfraSnapshot) => string[]> = {
  'app parity': appParity,
  accounting: (snapshot) => accountingProblems(snapshot.settings),
  'azure mode': azureMode,
  placeholders,
  bindings,
  'host only from infra': hostOnlyFromInfra,
  'local never set': localNeverSet,
};
