import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import * as path from 'node:path';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const devAccountName = 'devstoreaccount1';
export const devAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Persist to this folder; in-memory when absent. */
  location?: string;
  /** Fixed ports (e.g. 10000–10002 for `UseDevelopmentStorage=true`); 0 = any free port (default). */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** How long to wait for all three services to listen (default 30 s, or AZURITE_READY_TIMEOUT_MS). */
  readyTimeoutMs?: number;
}

export interface RunningAzurite {
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** The server's process id (the real server, not a wrapper). */
  pid: number;
  stop(): Promise<void>;
}

type ServiceName = 'Blob' | 'Queue' | 'Table';
const serviceNames: readonly ServiceName[] = ['Blob', 'Queue', 'Table'];
const outputTailChars = 2000;

/**
 * Starts the Azurite CLI as a child process on 127.0.0.1. Ports default to 0, so the server binds
 * free ports itself and reports them in its start-up lines: no race between choosing and binding.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const child = spawn(process.execPath, [azuriteScript(), ...azuriteArgs(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    const ports = await waitForPorts(child, options.readyTimeoutMs ?? defaultReadyTimeoutMs());
    await Promise.all(serviceNames.map((name) => waitForConnect(ports[name])));
    return {
      connectionString: explicitConnectionString(ports),
      blobPort: ports.Blob,
      queuePort: ports.Queue,
      tablePort: ports.Table,
      pid: child.pid ?? -1,
      stop: () => stopChild(child).finally(() => process.off('exit', killOnExit)),
    };
  } catch (error) {
    await stopChild(child);
    process.off('exit', killOnExit);
    throw error;
  }
}

function defaultReadyTimeoutMs(): number {
  const fromEnv = Number(process.env.AZURITE_READY_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 30_000;
}

function azuriteScript(): string {
  // The package's bin entry, run with this node: the spawned pid is the server itself.
  const packageDir = path.dirname(require.resolve('azurite/package.json'));
  return path.join(packageDir, 'dist', 'src', 'azurite.js');
}

function azuriteArgs(options: AzuriteOptions): string[] {
  const host = '127.0.0.1';
  return [
    ...(options.location === undefined
      ? ['--inMemoryPersistence']
      : ['--location', options.location]),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
    ...['--blobHost', host, '--queueHost', host, '--tableHost', host],
    ...['--blobPort', String(options.blobPort ?? 0)],
    ...['--queuePort', String(options.queuePort ?? 0)],
    ...['--tablePort', String(options.tablePort ?? 0)],
  ];
}

/** Reads the "… service is successfully listening at http://127.0.0.1:<port>" lines. */
function waitForPorts(
  child: ChildProcess,
  timeoutMs: number,
): Promise<Record<ServiceName, number>> {
  return new Promise((resolve, reject) => {
    const ports: Partial<Record<ServiceName, number>> = {};
    let output = '';
    const fail = (reason: string): void => {
      cleanUp();
      reject(
        new Error(
          `Azurite did not start: ${reason}. Output tail:\n${output.slice(-outputTailChars)}`,
        ),
      );
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      for (const match of output.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g,
      )) {
        ports[match[1] as ServiceName] = Number(match[2]);
      }
      if (serviceNames.every((name) => ports[name] !== undefined)) {
        cleanUp();
        resolve(ports as Record<ServiceName, number>);
      }
    };
    const onExit = (code: number | null, signal: string | null): void =>
      fail(`process exited (code ${code}, signal ${signal})`);
    const onError = (error: Error): void => fail(error.message);
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    function cleanUp(): void {
      clearTimeout(timer);
      // The streams keep flowing (and are discarded) so a chatty server never blocks on a full pipe.
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** One TCP connect, to be sure the port accepts connections, not only that it was reported. */
function waitForConnect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => reject(new Error(`Azurite port ${port}: ${error.message}`)));
  });
}

function explicitConnectionString(ports: Record<ServiceName, number>): string {
  const endpoint = (port: number): string => `http://127.0.0.1:${port}/${devAccountName}`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${devAccountName};AccountKey=${devAccountKey};` +
    `BlobEndpoint=${endpoint(ports.Blob)};QueueEndpoint=${endpoint(ports.Queue)};` +
    `TableEndpoint=${endpoint(ports.Table)};`
  );
}

/** SIGTERM (Azurite closes gracefully), SIGKILL after a bounded wait; resolves once it exited. */
function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(forceKill);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve();
    });
    child.kill('SIGTERM');
  });
}
