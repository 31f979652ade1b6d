import type { SettingValues } from './hostSettings';

const reference = /%([A-Za-z0-9_.:-]+)%/g;

/**
 * Replaces every `%NAME%` with the setting's value, as the Functions host does for trigger
 * options; a reference to a missing or blank setting stops start-up and names it.
 */
export function resolveSettingReferences(
  text: string,
  settings: SettingValues,
  usedBy: string,
): string {
  return text.replace(reference, (_whole, name: string) => {
    const value = settings[name]?.trim();
    if (value === undefined || value === '') {
      throw new Error(`${usedBy} refers to %${name}%, but setting ${name} is not set`);
    }
    return value;
  });
}
