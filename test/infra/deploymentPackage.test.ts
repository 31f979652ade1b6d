import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { filesUnder } from './support/bicep';
import { ignoreMatcher } from './support/ignoreFile';
import {
  buildProblems,
  dependencyProblems,
  mergedConfig,
  runtimeImports,
  type PackageJson,
} from './support/packageChecks';

const root = path.join(__dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as PackageJson;
const build = mergedConfig(
  JSON.parse(read('tsconfig.build.json')),
  JSON.parse(read('tsconfig.json')),
);
const ignored = ignoreMatcher(read('.funcignore'));
const sources = filesUnder(path.join(root, 'src'))
  .filter((file) => file.endsWith('.ts'))
  .map((file): [string, string] => [
    `src/${file}`,
    readFileSync(path.join(root, 'src', file), 'utf8'),
  ]);
const fixture = (file: string): string =>
  readFileSync(path.join(__dirname, 'fixtures/package', file), 'utf8');

describe('the deployment package (remote build: npm install, npm run build)', () => {
  it('builds main from src/index.ts with npm run build', () => {
    assert.equal(pkg.main, 'dist/src/index.js');
    assert.deepEqual(buildProblems(pkg, build), []);
  });

  it('keeps only production dependencies after the remote build (build:azure)', () => {
    assert.match(pkg.scripts?.['build:azure'] ?? '', /^npm run build && npm prune --omit=dev$/);
  });

  it('fails the build check when main points elsewhere', () => {
    const problems = buildProblems({ ...pkg, main: 'dist/index.js' }, build);
    assert.deepEqual(problems, [
      'main is dist/index.js, but src/index.ts is built to dist/src/index.js',
    ]);
  });

  it('fails the build check when the build config compiles the tests too', () => {
    const problems = buildProblems(pkg, { ...build, include: ['src', 'test'] });
    assert.deepEqual(problems, ['tsconfig.build.json compiles ["src","test"], not only src']);
  });

  const uploaded = [
    'package.json',
    'package-lock.json',
    'host.json',
    'tsconfig.json',
    'tsconfig.build.json',
  ];
  it('uploads what the remote build needs: package files, host.json, tsconfigs, src/', () => {
    assert.deepEqual([...uploaded, ...sources.map(([file]) => file)].filter(ignored), []);
  });

  const left = [
    'node_modules/zod/package.json',
    'dist/src/index.js',
    'test/index.test.ts',
    'dev/start.ts',
    'bench/run.ts',
    'infra/main.bicep',
    'local.settings.json',
    '.azure/dev/.env',
    'src/index.js.map',
  ];
  it('leaves out node_modules, dist, tests, dev tools, infra and local settings', () => {
    assert.deepEqual(
      left.filter((file) => !ignored(file)),
      [],
    );
  });

  it('loads only production dependencies from src/', () => {
    assert.deepEqual(dependencyProblems(sources, pkg), []);
  });

  it('counts croner as production, as a schedules source would load it', () => {
    const schedules: [string, string] = ['src/schedules/cron.ts', fixture('cronSchedule.ts.txt')];
    assert.deepEqual(runtimeImports(schedules[1]), ['croner']);
    assert.deepEqual(dependencyProblems([schedules], pkg), []);
    const { croner, ...others } = pkg.dependencies ?? {};
    const asDev = {
      ...pkg,
      dependencies: others,
      devDependencies: { ...pkg.devDependencies, croner: croner ?? '*' },
    };
    assert.deepEqual(dependencyProblems([schedules], asDev), [
      'src/schedules/cron.ts loads croner, which is not a production dependency',
    ]);
  });

  it('ignores type-only imports, which the build erases', () => {
    assert.deepEqual(runtimeImports(fixture('typeOnly.ts.txt')), ['zod']);
  });
});
