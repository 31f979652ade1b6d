import * as path from 'node:path';
import {
  modulesOf,
  loadedFiles,
  parametersOf,
  parseBicep,
  propertyAt,
  resourcesOf,
  stringValue,
  syntaxProblems,
} from './bicep';
import type { InfraSnapshot } from './infraSnapshot';

/** Every `.bicep` file parses with the Bicep grammar: no ERROR node, no MISSING one. */
export function syntax(snapshot: InfraSnapshot): string[] {
  return snapshot.bicep.flatMap(({ file, text }) =>
    syntaxProblems(text).map((problem) => `${file}: ${problem}`),
  );
}

/** Every module and every loaded data file a Bicep file names exists under infra/. */
export function references(snapshot: InfraSnapshot): string[] {
  return snapshot.bicep.flatMap(({ file, text }) => {
    const root = parseBicep(text);
    const named = [...modulesOf(root).map((module) => module.source), ...loadedFiles(root)];
    return named
      .map((target) => path.posix.normalize(path.posix.join(path.posix.dirname(file), target)))
      .filter((target) => !snapshot.files.has(target))
      .map((target) => `${file} names ${target}, which infra/ does not hold`);
  });
}

/** main.parameters.json names only main.bicep's parameters and supplies each without a default. */
export function parameters(snapshot: InfraSnapshot): string[] {
  const main = snapshot.bicep.find((file) => file.file === 'main.bicep');
  const text = snapshot.files.get('main.parameters.json');
  if (main === undefined || text === undefined)
    return ['main.bicep or main.parameters.json is missing'];
  const declared = parametersOf(parseBicep(main.text));
  const supplied = Object.keys((JSON.parse(text) as { parameters?: object }).parameters ?? {});
  return [
    ...supplied
      .filter((name) => !declared.some((param) => param.name === name))
      .map((name) => `main.parameters.json supplies ${name}, which main.bicep does not declare`),
    ...declared
      .filter((param) => !param.hasDefault && !supplied.includes(param.name))
      .map(
        (param) =>
          `main.bicep's ${param.name} has no default and main.parameters.json does not supply it`,
      ),
  ];
}

/** The text of one property of the one resource of a type, across the Bicep files. */
function resourceProperty(
  snapshot: InfraSnapshot,
  type: string,
  dotted: string,
): string | undefined {
  for (const { text } of snapshot.bicep) {
    const resource = resourcesOf(parseBicep(text)).find(
      (r) => r.type === type && r.body !== undefined,
    );
    const node = propertyAt(resource?.body, dotted);
    if (node !== undefined) return stringValue(node) ?? node.text;
  }
  return undefined;
}

const expectations: readonly (readonly [string, string, string])[] = [
  ['Microsoft.Web/serverfarms', 'sku.name', 'FC1'],
  ['Microsoft.Web/serverfarms', 'properties.reserved', 'true'],
  ['Microsoft.Web/sites', 'kind', 'functionapp,linux'],
  ['Microsoft.Web/sites', 'identity.type', 'UserAssigned'],
  ['Microsoft.Web/sites', 'properties.functionAppConfig.runtime.name', 'node'],
  ['Microsoft.Web/sites', 'properties.functionAppConfig.runtime.version', '22'],
  [
    'Microsoft.Web/sites',
    'properties.functionAppConfig.deployment.storage.authentication.type',
    'UserAssignedIdentity',
  ],
  ['Microsoft.Storage/storageAccounts', 'properties.allowSharedKeyAccess', 'false'],
  ['Microsoft.Insights/components', 'properties.DisableLocalAuth', 'true'],
];

/** Settings and site properties a Flex Consumption app refuses or ignores. */
const notOnFlex = [
  'FUNCTIONS_WORKER_RUNTIME',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'linuxFxVersion',
];

/** A Flex Consumption Node 22 app, storage without shared keys, telemetry without local auth. */
export function flexAndIdentity(snapshot: InfraSnapshot): string[] {
  const problems = expectations
    .filter(([type, dotted, expected]) => resourceProperty(snapshot, type, dotted) !== expected)
    .map(
      ([type, dotted, expected]) =>
        `${type} ${dotted} is ${resourceProperty(snapshot, type, dotted)}, not ${expected}`,
    );
  for (const { file, text } of snapshot.bicep) {
    for (const name of notOnFlex.filter((n) => text.includes(n)))
      problems.push(`${file} sets ${name}, which Flex Consumption refuses`);
  }
  return problems;
}

/**
 * azure.yaml deploys this folder as a TypeScript function app, built remotely, to the site tagged
 * with its service.
 */
export function azureYaml(snapshot: InfraSnapshot, yaml: string): string[] {
  const service = /^services:\n {2}(\w+):\n((?: {4}.*\n)+)/m.exec(yaml);
  if (service === null) return ['azure.yaml declares no service'];
  const [, name, body = ''] = service;
  const problems = [
    ['project', '.'],
    ['language', 'ts'],
    ['host', 'function'],
    // .funcignore leaves node_modules and dist out: the platform must build.
    ['remoteBuild', 'true'],
  ]
    .filter(
      ([key, value]) => !new RegExp(`^ {4}${key}: ${value?.replace('.', '\\.')}$`, 'm').test(body),
    )
    .map(([key, value]) => `azure.yaml service ${name} lacks ${key}: ${value}`);
  const main = snapshot.bicep.find((file) => file.file === 'main.bicep')?.text ?? '';
  if (!main.includes(`serviceName: '${name}'`))
    problems.push(`main.bicep tags no site with service ${name}`);
  return problems;
}
