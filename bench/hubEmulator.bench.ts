import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRow } from './benchRow';
import { startHubEmulator } from '../dev/hub-emulator/server';
import { createHubClients } from '../src/hub/createHubClients';

const methodJobDevices = 10_000;
const fleetDevices = 100_000;
const maxJobSeconds = 10;
const maxRssMiB = 1024;
const waitLimitMs = 120_000;

/**
 * Issue 2 benchmarks: one direct-method job over 10,000 devices with pacing off, driven through the
 * SDK (create, then getJob until completed); and the resident memory of an emulator process that
 * holds a 100,000-device fleet.
 */
export default async function hubEmulatorBench(): Promise<BenchRow[]> {
  const jobSeconds = await timeMethodJob();
  const rss = await fleetProcessMemory();
  return [
    {
      name: `method job on ${methodJobDevices.toLocaleString('en')} devices, pacing off`,
      value: jobSeconds,
      unit: 's',
      target: `< ${maxJobSeconds} s`,
      met: jobSeconds < maxJobSeconds,
    },
    {
      name: `emulator RSS holding ${fleetDevices.toLocaleString('en')} devices`,
      value: rss.currentMiB,
      unit: 'MiB',
      target: `< ${maxRssMiB} MiB`,
      met: rss.currentMiB < maxRssMiB,
    },
    { name: 'emulator peak RSS (start-up and one full query)', value: rss.peakMiB, unit: 'MiB' },
  ];
}

async function timeMethodJob(): Promise<number> {
  const hub = await startHubEmulator({
    devices: methodJobDevices,
    tier: 'S3',
    limits: { deviceOperationsPerSecond: 0 },
  });
  try {
    const ca = await readFile(hub.caFile);
    const { jobClient } = createHubClients({
      connectionString: hub.connectionString,
      endpoint: hub.endpoint,
      ca,
    });
    const started = performance.now();
    await jobClient.scheduleDeviceMethod('bench-10k', '*', { methodName: 'lockDoor' });
    const deadline = started + waitLimitMs;
    for (;;) {
      const job = (await jobClient.getJob('bench-10k')).jobStatus as {
        status: string;
        deviceJobStatistics: { succeededCount: number };
      };
      if (job.status === 'completed' && job.deviceJobStatistics.succeededCount === methodJobDevices)
        break;
      if (job.status !== 'running' && job.status !== 'queued' && job.status !== 'completed') {
        throw new Error(`The benchmark job ended ${job.status}`);
      }
      if (performance.now() > deadline)
        throw new Error('The benchmark job did not complete in time');
      await sleep(25);
    }
    return (performance.now() - started) / 1000;
  } finally {
    await hub.close();
  }
}

/** Starts the CLI as its own process, lets it answer one COUNT over the fleet, reads its RSS. */
async function fleetProcessMemory(): Promise<{ currentMiB: number; peakMiB: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-bench-'));
  const infoFile = path.join(dir, 'hub.json');
  const cli = path.join(__dirname, '..', 'dev', 'hub-emulator', 'cli.ts');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      '--devices',
      String(fleetDevices),
      '--tier',
      'S3',
      '--info-file',
      infoFile,
    ],
    { stdio: 'ignore' },
  );
  const exited = once(child, 'exit');
  try {
    const info = await waitForInfoFile(infoFile);
    const ca = await readFile(info.caFile);
    const { registry } = createHubClients({
      connectionString: info.connectionString,
      endpoint: info.endpoint,
      ca,
    });
    const query = registry.createQuery('SELECT COUNT() AS n FROM devices');
    const counted = (await query.next(query.continuationToken)).result as Array<{ n: number }>;
    if (counted[0]?.n !== fleetDevices) throw new Error(`The fleet has ${counted[0]?.n} devices`);
    return await residentMemory(child.pid ?? 0);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitForInfoFile(infoFile: string) {
  const deadline = Date.now() + waitLimitMs;
  for (;;) {
    try {
      return JSON.parse(await readFile(infoFile, 'utf8')) as {
        endpoint: string;
        connectionString: string;
        caFile: string;
      };
    } catch {
      if (Date.now() > deadline)
        throw new Error('The emulator did not write its info file in time');
      await sleep(100);
    }
  }
}

/** VmRSS and VmHWM from /proc (Linux), in MiB. */
async function residentMemory(pid: number): Promise<{ currentMiB: number; peakMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { currentMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}
