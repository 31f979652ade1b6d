import type { Page } from '../core/page';
import { nextOpeningsIn, type NextOpening } from './nextOpenings';
import { isDeviceLocal, type StoredSchedule } from './schedule';
import type { ScheduleDeps } from './scheduleDeps';
import { ScheduleNotFoundError } from './scheduleErrors';
import { zoneCensusOf } from './zoneCensus';

export async function getSchedule(
  scheduleId: string,
  deps: Pick<ScheduleDeps, 'schedules'>,
): Promise<StoredSchedule> {
  const schedule = await deps.schedules.get(scheduleId);
  if (schedule === undefined) throw new ScheduleNotFoundError(scheduleId);
  return schedule;
}

export function listSchedules(
  page: { pageSize: number; continuationToken?: string },
  deps: Pick<ScheduleDeps, 'schedules'>,
): Promise<Page<StoredSchedule>> {
  return deps.schedules.list(page);
}

/** Deleting a schedule opens no more windows; rollouts it started run on. Answers it as it was. */
export async function deleteSchedule(
  scheduleId: string,
  deps: Pick<ScheduleDeps, 'schedules'>,
): Promise<StoredSchedule> {
  const schedule = await getSchedule(scheduleId, deps);
  if (!(await deps.schedules.delete(scheduleId))) throw new ScheduleNotFoundError(scheduleId);
  return schedule;
}

/**
 * The next 5 openings, or 5 per zone for a device-local schedule: the zones from the day's
 * census, counted now (one hub query, not kept) when the schedule has none yet.
 */
export async function scheduleNextOpenings(
  schedule: StoredSchedule,
  deps: Pick<ScheduleDeps, 'fleet' | 'clock'>,
): Promise<NextOpening[]> {
  const nowMs = deps.clock.now().getTime();
  if (!isDeviceLocal(schedule.timeZone)) {
    return nextOpeningsIn(schedule, schedule.timeZone, nowMs);
  }
  const census = await zoneCensusOf(schedule, deps);
  return (census?.zones ?? []).flatMap(({ zone }) =>
    nextOpeningsIn(schedule, zone, nowMs).map((opening) => ({ ...opening, zone })),
  );
}
