import { openingsUpTo, type Opening } from './openings';
import { maxMissedRecorded, type Schedule } from './schedule';
import { localDateOf } from './zonedTime';

export interface Occurrence extends Opening {
  zone: string;
  /** Its local opening date is a blackout date. */
  blackout: boolean;
}

/**
 * The occurrences in one zone a tick must decide (docs/schedules.md): those opened since the last
 * evaluation (the latest `maxMissedRecorded` closed ones, and any still open), plus the current
 * window when it is still open, whenever it opened, so a new or re-enabled schedule starts a window
 * it finds open. Occurrences already recorded in the runs are left out.
 */
export function occurrencesToDecide(schedule: Schedule, zone: string, nowMs: number): Occurrence[] {
  const durationMs = schedule.durationMinutes * 60_000;
  const sinceMs = Date.parse(schedule.lastEvaluatedAt ?? schedule.createdAt);
  // Older openings are closed and were decided before `sinceMs`: no need to look at them.
  const notAfter = Math.min(sinceMs, nowMs - durationMs);
  const latest = openingsUpTo(
    schedule.cron,
    zone,
    durationMs,
    nowMs,
    maxMissedRecorded + 1,
    notAfter,
  );
  const open = latest.filter((o) => nowMs < o.closesAtMs);
  const closed = latest.filter((o) => nowMs >= o.closesAtMs && o.opensAtMs > sinceMs);
  const recorded = new Set(
    schedule.runs.filter((run) => run.zone === zone).map((run) => Date.parse(run.opensAt)),
  );
  return [...closed.slice(-maxMissedRecorded), ...open]
    .filter((o) => !recorded.has(o.opensAtMs))
    .map((o) => ({
      ...o,
      zone,
      blackout: schedule.blackoutDates.includes(localDateOf(o.opensAtMs, zone)),
    }));
}
