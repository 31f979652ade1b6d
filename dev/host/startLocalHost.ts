import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionDeclaration } from '../../src/functions/functionDeclaration';
import { registerSecretValues } from '../../src/core/redactSecrets';
import { secretSettingValues } from '../../src/settings';
import { readHostConfig } from './hostConfig';
import type { HostJsonConfig } from './hostJson';
import { createHostLog, writeToStdout, type HostLog, type WriteLine } from './hostLog';
import type { SettingValues } from './hostSettings';
import { createRequestListener } from './httpListener';
import { HttpRouter } from './httpRouter';
import { InFlight } from './inFlight';
import { resolveDeclarations, type ResolvedFunctions } from './resolveDeclarations';
import { startTimerTrigger } from './timerTrigger';

export interface LocalHostOptions {
  declarations: readonly FunctionDeclaration[];
  /** Every setting (local.settings values merged with the environment). */
  settings: SettingValues;
  hostJson: HostJsonConfig;
  /** Where `[source] message` log lines go; stdout by default. */
  writeLine?: WriteLine;
  /** How long `close()` waits for running invocations. Default 10 s. */
  shutdownTimeoutMs?: number;
}

export interface LocalHost {
  readonly port: number;
  /** `http://127.0.0.1:<port>/<routePrefix>` */
  readonly baseUrl: string;
  /** Stops triggers, waits (bounded) for running invocations, closes the HTTP server. */
  close(): Promise<void>;
}

/** Serves the declared functions: HTTP on 127.0.0.1, timers on their schedules, queue triggers. */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const config = readHostConfig(options.settings);
  registerSecretValues(secretSettingValues(options.settings));
  const functions = resolveDeclarations(options.declarations, options.settings);
  const log = createHostLog(options.writeLine ?? writeToStdout);
  const inFlight = new InFlight();
  const router = new HttpRouter(functions.http, options.hostJson.routePrefix);
  let port = 0;
  const server = createServer(
    createRequestListener({ router, keys: config, log, inFlight, port: () => port }),
  );
  const triggers: { stop(): void }[] = [];
  try {
    for (const timer of functions.timers) {
      triggers.push(startTimerTrigger({ ...timer, log, inFlight }));
    }
    port = await listen(server, config.port);
    if (functions.queues.length > 0) {
      // The storage SDK loads slowly; a host without queue functions does not pay for it.
      const { startQueueTriggers } = await import('./queueTriggers.js');
      const queueSettings = { settings: options.settings, hostJson: options.hostJson, config };
      triggers.push(...startQueueTriggers(functions.queues, queueSettings, log, inFlight));
    }
  } catch (error) {
    triggers.forEach((trigger) => trigger.stop());
    server.close();
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${port}${options.hostJson.routePrefix ? `/${options.hostJson.routePrefix}` : ''}`;
  logFunctions(log, functions, baseUrl);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= shutDown(server, triggers, inFlight, log, options.shutdownTimeoutMs ?? 10_000);
    return closing;
  };
  return { port, baseUrl, close };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} is already in use (HOST_PORT); stop what holds it or choose another port`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function shutDown(
  server: Server,
  triggers: readonly { stop(): void }[],
  inFlight: InFlight,
  log: HostLog,
  timeoutMs: number,
): Promise<void> {
  triggers.forEach((trigger) => trigger.stop());
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const finished = await inFlight.drain(timeoutMs);
  if (!finished)
    log(
      'host',
      'warning',
      `Stopped waiting for ${inFlight.count} running invocation(s) after ${timeoutMs} ms.`,
    );
  server.closeAllConnections();
  await closed;
}

function logFunctions(log: HostLog, functions: ResolvedFunctions, baseUrl: string): void {
  log('host', 'information', 'Functions:');
  for (const { name, options } of functions.http) {
    const methods = (options.methods ?? ['GET', 'POST']).join(',');
    log('host', 'information', `  ${name}: [${methods}] ${baseUrl}/${options.route ?? name}`);
  }
  for (const { name, options } of functions.timers) {
    log('host', 'information', `  ${name}: timerTrigger (${options.schedule})`);
  }
  for (const { name, options } of functions.queues) {
    log('host', 'information', `  ${name}: queueTrigger (${options.queueName})`);
  }
}
