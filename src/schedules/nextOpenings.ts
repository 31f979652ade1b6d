import { openingsAfter } from './openings';
import type { Schedule } from './schedule';
import { formatInZone, localDateOf } from './zonedTime';

export interface NextOpening {
  /** ISO-8601 with the zone's own offset. */
  opensAt: string;
  closesAt: string;
  /** Device-local schedules: the zone this opening is in. */
  zone?: string;
}

/** Openings on blackout dates are passed over; a pattern that opens on nothing else stops here. */
const maxBatches = 20;

/** The next `count` openings after `afterMs` in `zone`, blackout dates left out. */
export function nextOpeningsIn(
  schedule: Schedule,
  zone: string,
  afterMs: number,
  count = 5,
): NextOpening[] {
  const durationMs = schedule.durationMinutes * 60_000;
  const found: NextOpening[] = [];
  let cursor = afterMs;
  for (let batch = 0; batch < maxBatches && found.length < count; batch++) {
    const openings = openingsAfter(schedule.cron, zone, durationMs, cursor, count);
    for (const opening of openings) {
      if (schedule.blackoutDates.includes(localDateOf(opening.opensAtMs, zone))) continue;
      found.push({
        opensAt: formatInZone(opening.opensAtMs, zone),
        closesAt: formatInZone(opening.closesAtMs, zone),
      });
    }
    const last = openings.at(-1);
    if (last === undefined) break;
    cursor = last.opensAtMs;
  }
  return found.slice(0, count);
}
