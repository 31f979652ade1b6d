import { performance } from 'node:perf_hooks';
import type { BenchRow } from '../benchRow';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : (upper + (sorted[middle - 1] ?? 0)) / 2;
}

/** The value below which a share `q` (0..1) of `values` falls (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Wall time of one call, in milliseconds. */
export async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Runs `a` and `b` alternately `rounds` times (after `warmUp` unmeasured rounds of each), so both
 * see the same machine conditions; answers each side's wall times in milliseconds.
 */
export async function timeSideBySide(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  rounds: number,
  warmUp = 0,
): Promise<{ a: number[]; b: number[] }> {
  for (let round = 0; round < warmUp; round++) {
    await a();
    await b();
  }
  const times = { a: [] as number[], b: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so neither side always follows the other's leftovers.
    if (round % 2 === 0) {
      times.a.push(await timeMs(a));
      times.b.push(await timeMs(b));
    } else {
      times.b.push(await timeMs(b));
      times.a.push(await timeMs(a));
    }
  }
  return times;
}

/** A ratio row `numerator ÷ denominator` with an upper bound as its target. */
export function ratioRow(name: string, numerator: number, denominator: number, atMost?: number) {
  const value = numerator / denominator;
  const row: BenchRow = { name, value, unit: '×' };
  if (atMost !== undefined) {
    row.target = `≤ ${atMost}×`;
    row.met = value <= atMost;
  }
  return row;
}

/** Progress notes go to stderr, so the table on stdout stays clean. */
export function note(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
