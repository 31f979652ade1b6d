import { Cron } from 'croner';
import { instantOfWallTime, wallTimeOf } from './zonedTime';

/** One window occurrence: when it opens and closes, as instants (ms). */
export interface Opening {
  opensAtMs: number;
  closesAtMs: number;
}

/**
 * The pattern is matched against the zone's wall clock, read by croner as UTC (where no time is
 * skipped or repeated), and each matching wall time is then placed in the zone. So every pattern,
 * fixed-time or interval, follows one DST rule: a time in the gap opens at the first valid instant
 * after it, a repeated time opens once, at its first occurrence, and times that land on the same
 * instant open once (docs/schedules.md).
 */
function wallClockCron(cron: string): Cron {
  return new Cron(cron, { timezone: 'Etc/UTC', paused: true });
}

/** A pattern croner refuses, as a message; undefined when it is a valid 5-field pattern. */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  try {
    const next = wallClockCron(cron).nextRun(new Date(0));
    return next === null ? 'never matches a date' : undefined;
  } catch (error) {
    return `is not a valid cron pattern (${error instanceof Error ? error.message : String(error)})`;
  }
}

// Placing a wall time in the zone moves it by at most a DST shift (a few hours at most).
const slackMs = 3 * 3_600_000;
// croner's cost grows with the runs asked for: ask for a few, then more.
const firstBatch = (count: number) => Math.min(count + 2, 64);

function toOpening(wall: Date, zone: string, durationMs: number): Opening {
  const opensAtMs = instantOfWallTime(wall.getTime(), zone);
  return { opensAtMs, closesAtMs: opensAtMs + durationMs };
}

/** The next `count` openings after `afterMs` (exclusive), in order. */
export function openingsAfter(
  cron: string,
  zone: string,
  durationMs: number,
  afterMs: number,
  count: number,
): Opening[] {
  const job = wallClockCron(cron);
  const found: Opening[] = [];
  let cursor = new Date(wallTimeOf(afterMs, zone) - slackMs);
  for (let batch = firstBatch(count); found.length < count; batch = Math.min(batch * 2, 64)) {
    const walls = job.nextRuns(batch, cursor);
    for (const wall of walls) {
      const opening = toOpening(wall, zone, durationMs);
      // Several gap times land on the gap's end: that instant opens once.
      if (opening.opensAtMs > afterMs && opening.opensAtMs !== found.at(-1)?.opensAtMs) {
        found.push(opening);
      }
    }
    const last = walls.at(-1);
    if (last === undefined) break;
    cursor = last;
  }
  return found.slice(0, count);
}

/** The latest `count` openings at or before `atMs` and after `afterMs`, oldest first. */
export function openingsUpTo(
  cron: string,
  zone: string,
  durationMs: number,
  atMs: number,
  count: number,
  afterMs = Number.NEGATIVE_INFINITY,
): Opening[] {
  const job = wallClockCron(cron);
  const found: Opening[] = [];
  let cursor = new Date(wallTimeOf(atMs, zone) + slackMs);
  for (let batch = firstBatch(count); found.length < count; batch = Math.min(batch * 2, 64)) {
    const walls = job.previousRuns(batch, cursor);
    for (const wall of walls) {
      const opening = toOpening(wall, zone, durationMs);
      // Placing wall times keeps their order, so nothing earlier can be after `afterMs`.
      if (opening.opensAtMs <= afterMs) return found.slice(0, count).reverse();
      if (opening.opensAtMs <= atMs && opening.opensAtMs !== found.at(-1)?.opensAtMs) {
        found.push(opening);
      }
    }
    const last = walls.at(-1);
    if (last === undefined) break;
    cursor = last;
  }
  return found.slice(0, count).reverse();
}
