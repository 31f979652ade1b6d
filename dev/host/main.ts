import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { FunctionDeclaration } from '../../src/functions/functionDeclaration';
import { readHostJson } from './hostJson';
import { describeError } from '../../src/core/logger';
import { createHostLog, writeToStdout } from './hostLog';
import {
  exportToEnvironment,
  findLocalSettingsFile,
  mergeSettings,
  readLocalSettingsValues,
} from './hostSettings';
import { startLocalHost, type LocalHost } from './startLocalHost';

/**
 * `node --import tsx dev/host/main.ts [--declarations FILE] [--settings FILE] [--host-json FILE]
 * [--shutdown-timeout-ms N]`: runs the app's functions in this process until SIGINT or SIGTERM,
 * then waits up to N ms (default 10 000) for running invocations.
 */
const appRoot = path.resolve(__dirname, '../..');
const log = createHostLog(writeToStdout);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      declarations: { type: 'string' },
      settings: { type: 'string' },
      'host-json': { type: 'string' },
      'shutdown-timeout-ms': { type: 'string' },
    },
  });
  const fromHere = (file: string | undefined, fallback: string): string =>
    file === undefined ? path.join(appRoot, fallback) : path.resolve(file);
  const settingsFile = findLocalSettingsFile(
    appRoot,
    values.settings === undefined ? undefined : path.resolve(values.settings),
  );
  const hostJsonFile = fromHere(values['host-json'], 'host.json');
  const declarationsFile = fromHere(values.declarations, 'src/functions/declarations.ts');
  // Relative paths in settings (IOTHUB_CA_FILE) are read from the app root, as under Core Tools.
  process.chdir(appRoot);
  const settings = mergeSettings(readLocalSettingsValues(settingsFile), process.env);
  exportToEnvironment(settings, process.env);
  log(
    'host',
    'information',
    `Settings from ${path.relative(appRoot, settingsFile)} and the environment.`,
  );
  const app = await loadApp(declarationsFile);
  app.checkStartup?.();
  const host = await startLocalHost({
    declarations: app.functionDeclarations,
    settings,
    hostJson: readHostJson(hostJsonFile),
    shutdownTimeoutMs: wholeNumber(
      '--shutdown-timeout-ms',
      values['shutdown-timeout-ms'] ?? '10000',
    ),
  });
  process.stdout.write(`Host ready: ${host.baseUrl}\n`);
  stopOnSignals(host);
}

function wholeNumber(flag: string, text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  throw new Error(`${flag} must be a whole number (got '${text}')`);
}

interface LoadedApp {
  functionDeclarations: FunctionDeclaration[];
  /** The app's own start-up check (settings), run before anything listens. */
  checkStartup?: () => void;
}

async function loadApp(file: string): Promise<LoadedApp> {
  type AppModule = { functionDeclarations?: unknown; checkStartup?: unknown };
  const imported = (await import(pathToFileURL(file).href)) as AppModule & { default?: AppModule };
  const loaded = imported.functionDeclarations === undefined ? imported.default : imported;
  const declarations = loaded?.functionDeclarations;
  if (!Array.isArray(declarations)) {
    throw new Error(`${path.relative(appRoot, file)} does not export functionDeclarations`);
  }
  const check = loaded?.checkStartup;
  return {
    functionDeclarations: declarations as FunctionDeclaration[],
    checkStartup: typeof check === 'function' ? (check as () => void) : undefined,
  };
}

function stopOnSignals(host: LocalHost): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log('host', 'information', `${signal}: stopping (waiting for running invocations).`);
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('host', 'error', `Shutdown failed: ${describeError(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const errorLog = createHostLog((line) => process.stderr.write(`${line}\n`));
  errorLog('host', 'error', `Start-up failed: ${describeError(error)}`);
  process.exit(1);
});
