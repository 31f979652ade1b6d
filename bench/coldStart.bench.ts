import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRow } from './benchRow';
import { startBenchStack, type BenchStack } from './support/benchStack';
import { median, note, ratioRow, timeSideBySide } from './support/stats';
import { spawnLocalHost } from '../dev/host/spawnLocalHost';

const appRoot = path.resolve(__dirname, '..');
const builtApp = './dist/src/index.js';
const rounds = 5;
const hostStarts = 3;
const firstAnswerTimeoutMs = 60_000;

/**
 * Issue 3 benchmark: loading the built app (`require` of the compiled entry point, which registers
 * every function) vs a bare `node -e 0`, and a fresh local-host process's time from spawn to its
 * first answered request (GET /api/health 200, with Azurite and the emulator already up).
 */
export default async function coldStart(): Promise<BenchRow[]> {
  build();
  note(`timing ${rounds} cold loads each, alternating`);
  const times = await timeSideBySide(
    () => runNode(`require('${builtApp}')`),
    () => runNode('0'),
    rounds,
    1,
  );
  const [appMs, bareMs] = [median(times.a), median(times.b)];
  const firstAnswerMs = await hostFirstAnswer();
  return [
    { name: `node -e "require('${builtApp}')" (median of ${rounds})`, value: appMs, unit: 'ms' },
    { name: `node -e 0 (median of ${rounds})`, value: bareMs, unit: 'ms' },
    ratioRow('built app load ÷ bare node', appMs, bareMs, 3),
    {
      name: `local host: spawn to first GET /api/health 200 (median of ${hostStarts})`,
      value: firstAnswerMs,
      unit: 'ms',
    },
  ];
}

/** `npm run build`; type errors elsewhere in the tree still emit JavaScript, so they only warn. */
function build(): void {
  note('npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: appRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    const firstLines = `${result.stdout}${result.stderr}`.split('\n').slice(0, 8).join('\n');
    note(`npm run build exited with ${result.status}:\n${firstLines}`);
  }
  if (!existsSync(path.join(appRoot, builtApp))) throw new Error(`${builtApp} was not built`);
}

function runNode(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: appRoot, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`node -e "${script}" exited with ${code}`));
    });
  });
}

async function hostFirstAnswer(): Promise<number> {
  const stack = await startBenchStack({ tier: 'S1', devices: 10, seed: 5 });
  try {
    const times: number[] = [];
    for (let start = 0; start < hostStarts; start++) times.push(await timeHostFirstAnswer(stack));
    return median(times);
  } finally {
    await stack.close();
  }
}

/** Spawns a fresh host and times it until its first healthy answer, then stops it. */
async function timeHostFirstAnswer(stack: BenchStack): Promise<number> {
  const started = performance.now();
  const host = await spawnLocalHost({
    env: { ...stack.appEnv(), HOST_PORT: '0', POLL_SCHEDULE: '0 0 0 1 1 *' },
    readyTimeoutMs: firstAnswerTimeoutMs,
  });
  try {
    const deadline = Date.now() + firstAnswerTimeoutMs;
    for (;;) {
      const response = await fetch(`${host.baseUrl}/health`);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
      if (Date.now() > deadline) throw new Error(`GET /health still answers ${response.status}`);
      await sleep(20);
    }
  } finally {
    await host.stop();
  }
}
