import type { FunctionDeclaration } from '../../../src/functions/functionDeclaration';

/** The settings the Functions host resolves in the functions' bindings, by function. */
export interface BindingSettings {
  /** `%NAME%` references: the host substitutes the app setting NAME. */
  resolved: Set<string>;
  /** Connection names: the host opens them from `<name>__*` identity settings in Azure. */
  connections: Set<string>;
}

export function bindingSettingsOf(declarations: readonly FunctionDeclaration[]): BindingSettings {
  const resolved = new Set<string>();
  const connections = new Set<string>();
  for (const declaration of declarations) {
    for (const [option, value] of Object.entries(declaration.options)) {
      if (typeof value !== 'string') continue;
      for (const match of value.matchAll(/%(\w+)%/g)) resolved.add(match[1] ?? '');
      if (option === 'connection') connections.add(value);
    }
    // A queue trigger without `connection` uses the host's own storage.
    if (declaration.kind === 'storageQueue' && declaration.options.connection === undefined) {
      connections.add('AzureWebJobsStorage');
    }
  }
  return { resolved, connections };
}

/** The problems with a set of app settings for these bindings, as the host would meet them. */
export function bindingProblems(bindings: BindingSettings, set: ReadonlySet<string>): string[] {
  const problems = [...bindings.resolved]
    .filter((name) => !set.has(name))
    .map((name) => `${name} is resolved by the host as %${name}% but infra does not set it`);
  for (const connection of bindings.connections) {
    for (const suffix of ['__queueServiceUri', '__credential', '__clientId']) {
      const name = `${connection}${suffix}`;
      if (!set.has(name))
        problems.push(
          `${name} is needed by the host for connection ${connection} but infra does not set it`,
        );
    }
  }
  return problems;
}
