import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { settingClasses, settingsOfClass, type SettingDescription } from '../src/settings';

/**
 * README's settings table, generated from the declarations (docs/settings.md).
 * `node --import tsx dev/settingsReadme.ts` rewrites it in place.
 */
export const tableStart =
  '<!-- settings-table:start (generated: node --import tsx dev/settingsReadme.ts) -->';
export const tableEnd = '<!-- settings-table:end -->';

const code = (text: string): string => `\`${text}\``;

function describe(setting: SettingDescription): string {
  const notes = [
    setting.doc,
    ...(setting.secret ? ['Secret: never echoed.'] : []),
    ...(setting.localOnlyForm === undefined ? [] : [`Local only as ${setting.localOnlyForm}.`]),
  ];
  return notes.join(' ');
}

/** The settings as a markdown table, its columns padded the way Prettier pads them. */
export function renderSettingsTable(settings: readonly SettingDescription[]): string {
  const rows = [
    ['Setting', 'Class', 'Default', 'What it is'],
    ...settings.map((setting) => [
      code(setting.name),
      setting.class,
      setting.default === undefined ? '' : code(setting.default),
      describe(setting),
    ]),
  ].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header!), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join(
    '\n',
  );
}

/** `readme` with the text between the table markers replaced by the generated table. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error(`README.md lacks ${tableStart} … ${tableEnd}`);
  const table = renderSettingsTable(settingsOfClass(...settingClasses));
  return `${readme.slice(0, start + tableStart.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

export const readmeFile = path.resolve(__dirname, '../README.md');

if (require.main === module) {
  writeFileSync(readmeFile, withSettingsTable(readFileSync(readmeFile, 'utf8')));
}
