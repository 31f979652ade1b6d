import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readLocalSettingsValues } from '../../dev/host/hostSettings';
import { readmeFile, withSettingsTable } from '../../dev/settingsReadme';
import { declaredSettingNames, settingDeclarations } from '../../src/settings';

const sampleFile = path.join(__dirname, '../../local.settings.sample.json');
const readme = readFileSync(readmeFile, 'utf8');

/** README's "## Settings" section, up to the next heading of the same level. */
function settingsSection(text: string): string {
  const start = text.indexOf('\n## Settings\n');
  assert.ok(start >= 0, 'README.md has a "## Settings" section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Setting-like names quoted in markdown: `UPPER_CASE` or `AzureWebJobsStorage…`. */
function quotedSettingNames(markdown: string): Set<string> {
  const pattern = /`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|AzureWebJobsStorage(?:__[A-Za-z]+)?)`/g;
  return new Set([...markdown.matchAll(pattern)].map((match) => match[1]!));
}

describe('local.settings.sample.json', () => {
  const values = readLocalSettingsValues(sampleFile);

  it('lists every declared setting', () => {
    assert.deepEqual(
      declaredSettingNames().filter((name) => !(name in values)),
      [],
    );
  });

  it('lists no undeclared setting', () => {
    const declared = new Set(declaredSettingNames());
    assert.deepEqual(
      Object.keys(values).filter((name) => !declared.has(name)),
      [],
    );
  });

  it('holds only values that pass their declaration', () => {
    for (const { name, schema } of settingDeclarations) {
      const value = values[name]?.trim();
      if (schema === undefined || value === undefined || value === '') continue;
      assert.ok(schema.safeParse(value).success, `${name}=${value}`);
    }
  });
});

describe("README's settings section", () => {
  it('holds the table generated from the declarations', () => {
    assert.equal(
      readme,
      withSettingsTable(readme),
      'README.md is stale: run node --import tsx dev/settingsReadme.ts',
    );
  });

  it('names every declared setting and no undeclared one', () => {
    const quoted = quotedSettingNames(settingsSection(readme));
    const declared = declaredSettingNames();
    assert.deepEqual(
      declared.filter((name) => !quoted.has(name)),
      [],
    );
    assert.deepEqual(
      [...quoted].filter((name) => !declared.includes(name)),
      [],
    );
  });
});
