/**
 * Wall-clock time in an IANA zone, from the platform's time-zone data (Intl). A "wall time" is the
 * zone's local date and time written as if it were UTC, in milliseconds: what a cron pattern reads.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's canonical name as the platform knows it; undefined when it knows no such zone. */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.trim() === '' || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zone's local date and time at `instantMs`, as a wall time (whole seconds). */
export function wallTimeOf(instantMs: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(zone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset from UTC at `instantMs`, in milliseconds (east positive). */
export function offsetAt(instantMs: number, zone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return wallTimeOf(wholeSecond, zone) - wholeSecond;
}

const dayMs = 86_400_000;

/**
 * The instant a wall time happens in the zone. A time the zone's clocks skip (a spring-forward
 * gap) maps to the first valid instant after the gap; one they pass twice (a fall-back overlap)
 * maps to the first occurrence (docs/schedules.md).
 */
export function instantOfWallTime(wallMs: number, zone: string): number {
  const before = offsetAt(wallMs - dayMs, zone);
  const after = offsetAt(wallMs + dayMs, zone);
  const candidates = [wallMs - Math.max(before, after), wallMs - Math.min(before, after)];
  const valid = candidates.filter((instant) => wallTimeOf(instant, zone) === wallMs);
  if (valid.length > 0) return Math.min(...valid);
  return firstInstantWithOffset(candidates[0] ?? wallMs, candidates[1] ?? wallMs, after, zone);
}

/** Binary search for the transition into `offset` between `lowMs` (before it) and `highMs`. */
function firstInstantWithOffset(lowMs: number, highMs: number, offset: number, zone: string) {
  let low = lowMs;
  let high = highMs;
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (offsetAt(middle, zone) === offset) high = middle;
    else low = middle;
  }
  return high;
}

/** ISO-8601 with the zone's own offset at that instant, e.g. `2026-03-29T03:00:00+02:00`. */
export function formatInZone(instantMs: number, zone: string): string {
  const offsetMinutes = Math.round(offsetAt(instantMs, zone) / 60_000);
  const local = new Date(wallTimeOf(instantMs, zone)).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

/** The zone's local date (`YYYY-MM-DD`) at `instantMs`. */
export function localDateOf(instantMs: number, zone: string): string {
  return new Date(wallTimeOf(instantMs, zone)).toISOString().slice(0, 10);
}
