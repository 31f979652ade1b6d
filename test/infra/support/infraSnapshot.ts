import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { bicepFilesUnder, filesUnder, infraDir, withoutResource, type BicepFile } from './bicep';

/** infra/app-settings.json: the settings infra sets by class, and the ones it leaves alone. */
export interface InfraSettings {
  app: Record<string, string>;
  shared: Record<string, string>;
  host: Record<string, string>;
  /** App settings whose declared default (or tier-derived value) applies in Azure too. */
  leftToDefault: string[];
  /** Declared settings infra never sets, each with why. */
  notSet: Record<string, string>;
}

/** What the checks look at: every file under infra/, and the two data files parsed. */
export interface InfraSnapshot {
  /** Every file under infra/ (relative path → text), for the secret scan. */
  files: Map<string, string>;
  bicep: BicepFile[];
  settings: InfraSettings;
  roles: Record<string, string>;
}

export function readInfra(dir = infraDir): InfraSnapshot {
  const files = new Map(
    filesUnder(dir).map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]),
  );
  return snapshotOf(files, bicepFilesUnder(dir));
}

function snapshotOf(files: Map<string, string>, bicep: BicepFile[]): InfraSnapshot {
  return {
    files,
    bicep,
    settings: JSON.parse(files.get('app-settings.json') ?? '{}') as InfraSettings,
    roles: JSON.parse(files.get('roles.json') ?? '{}') as Record<string, string>,
  };
}

/**
 * A negative fixture: one change to the real infra/ that some check must catch. Kept as a change
 * rather than a copy, so a fixture stays valid while infra/ grows.
 */
export interface InfraChange {
  /** What the change breaks, in words. */
  why: string;
  /** The check that must fail on it. */
  check: string;
  /** Text one of the check's problems contains. */
  expect: string;
  /** A file under infra/ to edit, or to add when `content` is given. */
  file?: string;
  /** Cut this top-level resource declaration out of `file`. */
  removeResource?: string;
  /** Replace the first occurrence of [from, to] in `file`. */
  replace?: [string, string];
  /** The whole text of `file` (a file added to infra/). */
  content?: string;
  /** Edits to app-settings.json: `section.NAME` paths to delete, and to set. */
  settings?: { remove?: string[]; set?: Record<string, unknown> };
}

export function changed(base: InfraSnapshot, change: InfraChange): InfraSnapshot {
  const files = new Map(base.files);
  if (change.file !== undefined) files.set(change.file, editedText(files.get(change.file), change));
  if (change.settings !== undefined) {
    files.set(
      'app-settings.json',
      editedSettings(files.get('app-settings.json') ?? '{}', change.settings),
    );
  }
  const bicep = [...files]
    .filter(([file]) => file.endsWith('.bicep'))
    .map(([file, text]) => ({ file, text }));
  return snapshotOf(files, bicep);
}

function editedText(text: string | undefined, change: InfraChange): string {
  if (change.content !== undefined) return change.content;
  if (text === undefined)
    throw new Error(`fixture edits ${change.file}, which infra/ does not hold`);
  let edited = text;
  if (change.removeResource !== undefined) edited = withoutResource(edited, change.removeResource);
  if (change.replace !== undefined) {
    const [from, to] = change.replace;
    if (!edited.includes(from))
      throw new Error(`fixture replaces "${from}", not in ${change.file}`);
    edited = edited.replace(from, to);
  }
  return edited;
}

function editedSettings(text: string, edits: NonNullable<InfraChange['settings']>): string {
  const settings = JSON.parse(text) as Record<string, Record<string, unknown> | unknown[]>;
  const at = (dotted: string): [Record<string, unknown> | unknown[], string] => {
    const [section = '', name = ''] = dotted.split(/\.(.*)/s);
    settings[section] ??= {};
    return [settings[section], name];
  };
  for (const dotted of edits.remove ?? []) {
    const [section, name] = at(dotted);
    const present = Array.isArray(section) ? section.includes(name) : name in section;
    if (!present)
      throw new Error(`fixture removes ${dotted}, which app-settings.json does not hold`);
    if (Array.isArray(section)) section.splice(section.indexOf(name), 1);
    else delete section[name];
  }
  for (const [dotted, value] of Object.entries(edits.set ?? {})) {
    const [section, name] = at(dotted);
    if (Array.isArray(section)) section.push(name);
    else section[name] = value;
  }
  return JSON.stringify(settings, null, 2);
}

/** The fixtures in one folder under test/infra/fixtures, by file name. */
export function fixturesIn(folder: string): [string, InfraChange][] {
  const dir = path.join(__dirname, '../fixtures', folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as InfraChange]);
}
