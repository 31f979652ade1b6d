import { isDeviceLocal, type Schedule, type ZoneCensus } from './schedule';
import type { ScheduleDeps } from './scheduleDeps';
import { canonicalTimeZone } from './zonedTime';

/** The template's condition: device-local schedules take `queryCondition` targets only. */
export function templateCondition(schedule: Schedule): string {
  const targets = schedule.rollout.targets as { queryCondition?: unknown } | undefined;
  const condition = targets?.queryCondition;
  if (typeof condition !== 'string') {
    throw new Error(`Schedule ${schedule.scheduleId} is device-local without a queryCondition.`);
  }
  return condition;
}

/**
 * The zones present in the fleet the template targets, with one GROUP BY query, counted once per
 * schedule per UTC day (the cached census is reused until then). Tag values are kept exactly as
 * the hub returned them: the platform renames some zones, and a renamed value would match no
 * device. Devices without the tag (`NOT IS_DEFINED`), or with a value that is no zone, are
 * counted apart.
 */
export async function zoneCensusOf(
  schedule: Schedule,
  deps: Pick<ScheduleDeps, 'fleet' | 'clock'>,
): Promise<ZoneCensus | undefined> {
  if (!isDeviceLocal(schedule.timeZone)) return undefined;
  const today = deps.clock.now().toISOString().slice(0, 10);
  if (schedule.zoneCensus?.countedOn === today) return schedule.zoneCensus;
  const entries = await deps.fleet.countByValue(
    templateCondition(schedule),
    `tags.${schedule.timeZone.tag}`,
  );
  const census: ZoneCensus = { countedOn: today, zones: [], unzoned: { missing: 0, invalid: [] } };
  for (const { value, count } of entries) {
    if (value === undefined || value === null) census.unzoned.missing += count;
    else if (typeof value === 'string' && canonicalTimeZone(value) !== undefined) {
      census.zones.push({ zone: value, devices: count });
    } else census.unzoned.invalid.push({ value, count });
  }
  census.zones.sort((a, b) => a.zone.localeCompare(b.zone));
  if (!entries.some((entry) => entry.value === undefined || entry.value === null)) {
    // A hub that leaves the untagged out of GROUP BY is asked for them apart.
    census.unzoned.missing = await deps.fleet.countDevices(
      `(${templateCondition(schedule)}) AND NOT IS_DEFINED(tags.${schedule.timeZone.tag})`,
    );
  }
  return census;
}

/** `(<targets>) AND tags.<tag> = '<zone>'`: the devices of one zone (a zone name holds no quote). */
export function zoneCondition(schedule: Schedule, tag: string, zone: string): string {
  return `(${templateCondition(schedule)}) AND tags.${tag} = '${zone}'`;
}
