import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

export type SettingValues = Readonly<Record<string, string | undefined>>;

const localSettingsSchema = z.object({
  Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/**
 * The file Core Tools would read: `local.settings.json` when present, else the committed sample.
 * An explicit file wins over both.
 */
export function findLocalSettingsFile(directory: string, explicitFile?: string): string {
  if (explicitFile !== undefined) return path.resolve(directory, explicitFile);
  const own = path.join(directory, 'local.settings.json');
  return existsSync(own) ? own : path.join(directory, 'local.settings.sample.json');
}

/** `Values` of a local.settings file as strings (Core Tools stringifies numbers and booleans). */
export function readLocalSettingsValues(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${path.basename(file)} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = localSettingsSchema.safeParse(content);
  if (!parsed.success) {
    throw new Error(`${path.basename(file)}: "Values" must map setting names to strings`);
  }
  const values = parsed.data.Values ?? {};
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)]));
}

/** File values, overridden by the process environment (so a test or a shell can change any). */
export function mergeSettings(
  fileValues: Record<string, string>,
  env: SettingValues,
): Record<string, string> {
  const merged: Record<string, string> = { ...fileValues };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) merged[name] = value;
  }
  return merged;
}

/** Makes file-only values visible to the app, which reads settings from `process.env`. */
export function exportToEnvironment(
  settings: Record<string, string>,
  env: NodeJS.ProcessEnv,
): void {
  for (const [name, value] of Object.entries(settings)) {
    if (env[name] === undefined) env[name] = value;
  }
}
