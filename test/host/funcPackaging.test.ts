import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { functionDeclarations } from '../../src/functions/declarations';

const run = promisify(execFile);
const appRoot = path.join(__dirname, '../..');
/** Inside the repository (git-ignored) so that the built files resolve node_modules. */
const buildDir = path.join(appRoot, '.hubjobs', 'build-check');
const packageJson = JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

/** The globby subset `main` may use: `*`, `**` and `{a,b}`. */
function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]*)\}/g, (_all, options: string) => `(${options.split(',').join('|')})`)
    .replace(/\*\*\//g, '(?:.*/)?')
    .replace(/\*/g, '[^/]*');
  return new RegExp(`^${pattern}$`);
}

async function listFiles(directory: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) =>
      entry.isDirectory()
        ? listFiles(path.join(directory, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    ),
  );
  return nested.flat();
}

describe('npm run start:func prerequisites', () => {
  let builtFiles: string[] = [];

  before(async () => {
    // The build that `npm run build` makes, written aside so the real dist/ is left alone.
    const tsc = path.join(appRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', buildDir], {
      cwd: appRoot,
    });
    builtFiles = (await listFiles(buildDir)).map((file) => `dist/${file}`);
  });
  after(() => rm(buildDir, { recursive: true, force: true }));

  it('runs func start after building', () => {
    assert.equal(packageJson.scripts['start:func'], 'npm run build && func start');
  });

  it("has a package.json main glob that matches the build's entry point", () => {
    const matcher = globToRegExp(packageJson.main);
    const matched = builtFiles.filter((file) => matcher.test(file));
    assert.ok(
      matched.includes('dist/src/index.js'),
      `main ${packageJson.main} matched ${matched.join(', ')}`,
    );
  });

  it('builds only src/, so nothing in src imports dev/ or test/', () => {
    const outside = builtFiles.filter((file) => !file.startsWith('dist/src/'));
    assert.deepEqual(outside, []);
  });

  it('loads the built app under plain node and registers every function', async () => {
    const entry = path.join(buildDir, 'src', 'index.js');
    const { stderr } = await run(process.execPath, ['-e', `require(${JSON.stringify(entry)})`], {
      cwd: appRoot,
    });
    // Without the Functions worker, @azure/functions runs in test mode and says what it skipped.
    const registered = [...stderr.matchAll(/Skipping call to register function "([^"]+)"/g)].map(
      (m) => m[1],
    );
    // The built app registers exactly what the source declares.
    assert.deepEqual(registered.sort(), functionDeclarations.map((d) => d.name).sort());
    assert.ok(registered.includes('createRollout') && registered.includes('processJobRequests'));
  });

  it('has a host.json the Functions host accepts, with the queue and HTTP settings', () => {
    const hostJson = JSON.parse(readFileSync(path.join(appRoot, 'host.json'), 'utf8')) as {
      version: string;
      extensionBundle: { id: string; version: string };
      logging?: object;
      extensions: { http: { routePrefix: string }; queues: Record<string, unknown> };
    };
    assert.equal(hostJson.version, '2.0');
    assert.deepEqual(hostJson.extensionBundle, {
      id: 'Microsoft.Azure.Functions.ExtensionBundle',
      version: '[4.*, 5.0.0)',
    });
    assert.ok(hostJson.logging);
    assert.equal(hostJson.extensions.http.routePrefix, 'api');
    const queueKeys = [
      'batchSize',
      'newBatchThreshold',
      'maxDequeueCount',
      'visibilityTimeout',
      'maxPollingInterval',
      'messageEncoding',
    ];
    assert.deepEqual(Object.keys(hostJson.extensions.queues).sort(), queueKeys.sort());
    assert.equal(hostJson.extensions.queues.maxDequeueCount, 5);
    assert.equal(hostJson.extensions.queues.messageEncoding, 'base64');
  });

  it('has a .funcignore that keeps local settings, tests and installed modules out of the package', () => {
    const file = path.join(appRoot, '.funcignore');
    assert.ok(existsSync(file));
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim());
    for (const excluded of [
      'local.settings.json',
      'test',
      'dev',
      'node_modules',
      'dist',
      '.hubjobs',
    ]) {
      assert.ok(lines.includes(excluded), `${excluded} is ignored`);
    }
    // The platform builds remotely (test/infra/deploymentPackage.test.ts checks the whole shape).
    assert.ok(
      !lines.includes('src') && !lines.includes('*.ts') && !lines.includes('tsconfig*.json'),
      'the sources the remote build compiles are deployed',
    );
  });
});
