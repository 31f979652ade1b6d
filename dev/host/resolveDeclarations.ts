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
 * (route, schedule, queue name). Handlers and every other option are kept as declared.
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
    const resolve = (text: string, option: string): string =>
      resolveSettingReferences(text, settings, `Function ${name} (${option})`);
    switch (declaration.kind) {
      case 'http': {
        const { route } = declaration.options;
        const options =
          route === undefined
            ? declaration.options
            : { ...declaration.options, route: resolve(route, 'route') };
        resolved.http.push({ name, options });
        break;
      }
      case 'timer': {
        const schedule = resolve(declaration.options.schedule, 'schedule');
        resolved.timers.push({ name, options: { ...declaration.options, schedule } });
        break;
      }
      case 'storageQueue': {
        const queueName = resolve(declaration.options.queueName, 'queueName');
        resolved.queues.push({ name, options: { ...declaration.options, queueName } });
        break;
      }
    }
  }
  return resolved;
}
