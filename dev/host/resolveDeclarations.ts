import type { StorageQueueFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import type { FunctionDeclaration } from '../../src/functions/functionDeclaration';
import type { SettingValues } from './hostSettings';
import type { HttpFunction } from './httpRouter';
import { resolveSettingReferences } from './settingReferences';

export interface ResolvedFunctions {
  http: HttpFunction[];
  timers: { name: string; options: TimerFunctionOptions }[];
  queues: { name: string; options: StorageQueueFunctionOptions }[];
}

/**
 * Sorts declarations by trigger and resolves `%SETTING%` references in their trigger options
 * (route, schedule, queue name). Handlers and every other option are kept as declared, and an
 * options object without references is used as is (the same object `src/index.ts` registers).
 */
export function resolveDeclarations(
  declarations: readonly FunctionDeclaration[],
  settings: SettingValues,
): ResolvedFunctions {
  const resolved: ResolvedFunctions = { http: [], timers: [], queues: [] };
  const seen = new Set<string>();
  for (const declaration of declarations) {
    const { name } = declaration;
    if (seen.has(name.toLowerCase())) throw new Error(`Function ${name} is declared twice`);
    seen.add(name.toLowerCase());
    refuseBindings(declaration);
    const resolve = (text: string, option: string): string =>
      resolveSettingReferences(text, settings, `Function ${name} (${option})`);
    switch (declaration.kind) {
      case 'http':
        resolved.http.push({ name, options: withResolved(declaration.options, 'route', resolve) });
        break;
      case 'timer':
        resolved.timers.push({
          name,
          options: withResolved(declaration.options, 'schedule', resolve),
        });
        break;
      case 'storageQueue':
        resolved.queues.push({
          name,
          options: withResolved(declaration.options, 'queueName', resolve),
        });
        break;
    }
  }
  return resolved;
}

/** The options with one string option resolved; the same object when there was nothing to do. */
function withResolved<T extends object, K extends keyof T & string>(
  options: T,
  key: K,
  resolve: (text: string, option: string) => string,
): T {
  const value = options[key];
  if (typeof value !== 'string') return options;
  const resolvedValue = resolve(value, key);
  return resolvedValue === value ? options : { ...options, [key]: resolvedValue };
}

/** Input and output bindings would silently do nothing here, so a declaration using one is refused. */
function refuseBindings(declaration: FunctionDeclaration): void {
  const { extraInputs, extraOutputs, return: returnBinding } = declaration.options;
  const bindings = [...(extraInputs ?? []), ...(extraOutputs ?? [])];
  const customReturn = declaration.kind !== 'http' && returnBinding !== undefined;
  if (bindings.length > 0 || customReturn) {
    throw new Error(
      `Function ${declaration.name} uses input or output bindings, which the local host does not support; use the SDK clients instead`,
    );
  }
}
