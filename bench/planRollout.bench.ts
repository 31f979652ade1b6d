import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { hubQueryLength } from '../src/core/deviceIdCondition';
import { minimumChunkCount, planRollout } from '../src/rollouts/planRollout';
import type { BenchRow } from './benchRow';
import { note, ratioRow } from './support/stats';

const deviceCount = 1_000_000;
const waveSize = 100_000;
const maxIdLength = 60;
const planTargetMs = 2000;
const rssTargetMb = 300;

interface ChildReport {
  planMs: number;
  peakRssMb: number;
  runtimeRssMb: number;
  idsRssMb: number;
  jobCount: number;
  minimumJobCount: number;
  longestQuery: number;
}

/**
 * Issue 9 benchmark: planning 1,000,000 device ids (up to 60 characters) into waves of 100,000
 * and chunk jobs, in a child process so its peak RSS is the planner's own (runtime and ids
 * included), and the hub jobs planned against the fewest the 8,192-character limit allows.
 */
export default async function planRolloutBench(): Promise<BenchRow[]> {
  note(`planning ${deviceCount} ids into waves of ${waveSize}, in a child process`);
  const report = await runChild();
  note(
    `child RSS: ${report.runtimeRssMb.toFixed(0)} MB runtime, ${report.idsRssMb.toFixed(0)} MB with the ids; longest query ${report.longestQuery} characters`,
  );
  return [
    {
      name: `plan ${deviceCount} ids, waves of ${waveSize}: time`,
      value: report.planMs,
      unit: 'ms',
      target: `< ${planTargetMs} ms`,
      met: report.planMs < planTargetMs,
    },
    {
      name: `plan ${deviceCount} ids: peak RSS of the planning process`,
      value: report.peakRssMb,
      unit: 'MB',
      target: `< ${rssTargetMb} MB`,
      met: report.peakRssMb < rssTargetMb,
    },
    ratioRow(
      `hub jobs planned (${report.jobCount}) ÷ minimum (${report.minimumJobCount})`,
      report.jobCount,
      report.minimumJobCount,
      1.01,
    ),
  ];
}

function runChild(): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'child'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output) as ChildReport);
      else reject(new Error(`the planning child exited with ${code}`));
    });
  });
}

/** Distinct ids of 8 to 60 characters from a seeded generator: the index in base 36, then noise. */
function generateIds(count: number): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const buffer = new Uint16Array(maxIdLength);
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const ids = new Array<string>(count);
  for (let index = 0; index < count; index++) {
    const length = 8 + (next() % (maxIdLength - 7));
    let at = 0;
    for (let rest = index; at === 0 || rest > 0; rest = Math.floor(rest / 36)) {
      buffer[at++] = alphabet.charCodeAt(rest % 36);
    }
    buffer[at++] = 95; // '_' ends the index, so no two ids are equal
    while (at < length) buffer[at++] = alphabet.charCodeAt(next() % alphabet.length);
    ids[index] = String.fromCharCode(...buffer.subarray(0, length));
  }
  return ids;
}

const rssMb = () => process.memoryUsage().rss / 1e6;

function child(): void {
  const runtimeRssMb = rssMb();
  const ids = generateIds(deviceCount);
  const idsRssMb = rssMb();
  const started = performance.now();
  const chunks = planRollout({ deviceIds: ids }, { count: waveSize });
  const planMs = performance.now() - started;
  const report: ChildReport = {
    planMs,
    // maxRSS is in kilobytes: the process's peak, generation of the ids included.
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    runtimeRssMb,
    idsRssMb,
    jobCount: chunks.length,
    minimumJobCount: minimumChunkCount(ids, { count: waveSize }),
    longestQuery: Math.max(...chunks.map((chunk) => hubQueryLength(chunk.queryCondition))),
  };
  process.stdout.write(JSON.stringify(report));
}

if (require.main === module && process.argv[2] === 'child') child();
