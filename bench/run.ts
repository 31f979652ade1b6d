import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './benchRow';

type Bench = () => Promise<BenchRow[]>;

function formatValue(row: BenchRow): string {
  const digits = Math.abs(row.value) >= 100 ? 0 : Math.abs(row.value) >= 10 ? 1 : 2;
  return `${row.value.toFixed(digits)} ${row.unit}`;
}

function printTable(rows: BenchRow[]): void {
  const lines = rows.map((r) => [
    r.name,
    formatValue(r),
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const header = ['benchmark', 'value', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const line of lines) console.log(fmt(line));
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only === undefined || f.includes(only))
    .sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    console.error(`running ${file} ...`);
    const bench = ((await import(join(__dirname, file))) as { default: Bench }).default;
    rows.push(...(await bench()));
  }
  printTable(rows);
  if (rows.some((r) => r.met === false)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
