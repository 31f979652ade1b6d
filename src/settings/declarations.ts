import type { SettingClass, SettingDeclaration } from './declaration';
import { functionsHostDeclarations } from './functionsHostSettings';
import { hubDeclarations, localHubDeclarations } from './hubSettings';
import { localHostDeclarations } from './localHostSettings';
import { storageDeclarations } from './storageSettings';
import { hubLimitDeclarations } from './hubLimits';
import { hubBudgetDeclarations } from './hubBudgetSettings';
import { tunableDeclarations } from './tunables';
import { rolloutDeclarations } from './rolloutSettings';
import { scheduleDeclarations } from './scheduleSettings';

/** Every setting the product knows, in the order the README lists them (docs/settings.md). */
export const settingDeclarations: readonly SettingDeclaration[] = [
  ...hubDeclarations,
  ...localHubDeclarations,
  ...storageDeclarations,
  ...functionsHostDeclarations,
  ...tunableDeclarations,
  ...hubLimitDeclarations,
  ...hubBudgetDeclarations,
  ...rolloutDeclarations,
  ...scheduleDeclarations,
  ...localHostDeclarations,
];

/** A declaration as plain data (no schema), for generating docs or infra app settings. */
export type SettingDescription = Omit<SettingDeclaration, 'schema' | 'field'>;

/** The declarations of the given classes, as plain data, in table order. */
export function settingsOfClass(...classes: SettingClass[]): SettingDescription[] {
  return settingDeclarations
    .filter((declaration) => classes.includes(declaration.class))
    .map(({ schema: _schema, field: _field, ...description }) => description);
}

/** Every declared setting name. */
export function declaredSettingNames(): string[] {
  return settingDeclarations.map((declaration) => declaration.name);
}
