import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';

export interface SpawnLocalHostOptions {
  /** Settings for the host process, on top of this process's environment. */
  env?: Record<string, string | undefined>;
  /** Extra arguments for dev/host/main.ts (`--declarations`, `--settings`, `--host-json`). */
  args?: string[];
  /** Every output line (stdout and stderr) as it comes. */
  onLine?: (line: string) => void;
  /** How long to wait for `Host ready`. Default 30 s. */
  readyTimeoutMs?: number;
  /** Keep all output for `output()` (default); a long-running session may turn it off. */
  keepOutput?: boolean;
}

export interface SpawnedLocalHost {
  /** `http://127.0.0.1:<port>/api` as the host printed it. */
  baseUrl: string;
  port: number;
  pid: number;
  /** Everything the process has written so far (stdout and stderr, in arrival order). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `graceMs`. */
  stop(
    signal?: NodeJS.Signals,
    graceMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const appRoot = path.resolve(__dirname, '../..');
const mainScript = path.join(__dirname, 'main.ts');

/** Runs the local Functions host as its own process (`node --import tsx dev/host/main.ts`). */
export async function spawnLocalHost(
  options: SpawnLocalHostOptions = {},
): Promise<SpawnedLocalHost> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  // A host started from inside `node --test` must not think it is a test file itself.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript, ...(options.args ?? [])], {
    cwd: appRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve({ code, signal });
    });
  });
  const output = captureOutput(child, options.keepOutput ?? true, options.onLine);
  try {
    const baseUrl = await waitForReady(child, output, exited, options.readyTimeoutMs ?? 30_000);
    return {
      baseUrl,
      port: Number(new URL(baseUrl).port),
      pid: child.pid ?? -1,
      output: () => output.text,
      exited,
      stop: (signal = 'SIGTERM', graceMs = 15_000) => stopProcess(child, exited, signal, graceMs),
    };
  } catch (error) {
    await stopProcess(child, exited, 'SIGKILL', 0);
    throw error;
  }
}

interface CapturedOutput {
  text: string;
  /** Emits `line` for every complete line. */
  lines: EventEmitter;
}

function captureOutput(
  child: ChildProcess,
  keepOutput: boolean,
  onLine?: (line: string) => void,
): CapturedOutput {
  const captured: CapturedOutput = { text: '', lines: new EventEmitter() };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      if (keepOutput) captured.text += chunk;
      const pieces = (partial + chunk).split('\n');
      partial = pieces.pop() ?? '';
      for (const line of pieces) {
        onLine?.(line);
        captured.lines.emit('line', line);
      }
    });
  }
  return captured;
}

function waitForReady(
  child: ChildProcess,
  output: CapturedOutput,
  exited: Promise<{ code: number | null }>,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const tail = (): string => output.text.slice(-2000) || '(not kept)';
    const timer = setTimeout(() => {
      reject(new Error(`The local host was not ready within ${timeoutMs} ms. Output:\n${tail()}`));
    }, timeoutMs);
    const onLine = (line: string): void => {
      const match = /^Host ready: (http:\/\/\S+)/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      output.lines.off('line', onLine);
      resolve(match[1]);
    };
    output.lines.on('line', onLine);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(
        new Error(`The local host exited (code ${code}) before it was ready. Output:\n${tail()}`),
      );
    });
    child.once('error', (error) => reject(error));
  });
}

async function stopProcess(
  child: ChildProcess,
  exited: SpawnedLocalHost['exited'],
  signal: NodeJS.Signals,
  graceMs: number,
): ReturnType<SpawnedLocalHost['stop']> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  const forceKill = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(forceKill);
  }
}
