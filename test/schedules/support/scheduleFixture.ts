import { ConcurrencyError } from '../../../src/core/errors';
import type { Page } from '../../../src/core/page';
import type { HubDeviceQuery } from '../../../src/rollouts/ports';
import type { ScheduleStore } from '../../../src/schedules/ports';
import { parseScheduleRequest } from '../../../src/schedules/scheduleRequestSchema';
import type { Schedule, StoredSchedule } from '../../../src/schedules/schedule';
import type { ScheduleDeps } from '../../../src/schedules/scheduleDeps';
import { ScheduleExistsError } from '../../../src/schedules/scheduleErrors';
import { putSchedule } from '../../../src/schedules/putSchedule';
import { rolloutFixture, type RolloutFixture } from '../../rollouts/support/rolloutFixture';

/** Schedules in a map, revision-guarded like the table store. */
export class InMemoryScheduleStore implements ScheduleStore {
  readonly rows = new Map<string, StoredSchedule>();
  private revision = 0;

  create(schedule: Schedule): Promise<StoredSchedule> {
    if (this.rows.has(schedule.scheduleId)) {
      return Promise.reject(new ScheduleExistsError(schedule.scheduleId));
    }
    return Promise.resolve(this.store(schedule));
  }

  get(scheduleId: string): Promise<StoredSchedule | undefined> {
    const row = this.rows.get(scheduleId);
    return Promise.resolve(row === undefined ? undefined : structuredClone(row));
  }

  update(schedule: StoredSchedule): Promise<StoredSchedule> {
    const current = this.rows.get(schedule.scheduleId);
    if (current === undefined || current.revision !== schedule.revision) {
      return Promise.reject(new ConcurrencyError(`Schedule ${schedule.scheduleId} changed.`));
    }
    return Promise.resolve(this.store(schedule));
  }

  delete(scheduleId: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(scheduleId));
  }

  list(page: { pageSize: number }): Promise<Page<StoredSchedule>> {
    const items = [...this.rows.values()]
      .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId))
      .slice(0, page.pageSize);
    return Promise.resolve({ items: structuredClone(items) });
  }

  private store(schedule: Schedule): StoredSchedule {
    const { revision: _previous, ...fields } = schedule as StoredSchedule;
    const stored = { ...structuredClone(fields), revision: String(++this.revision) };
    this.rows.set(schedule.scheduleId, stored);
    return structuredClone(stored);
  }
}

/** The fleet's zone tags as the hub's GROUP BY answers them; every query is recorded. */
export class FakeZoneFleet implements HubDeviceQuery {
  readonly groupQueries: { queryCondition: string; path: string }[] = [];
  readonly countQueries: string[] = [];
  /** What `countDevices` answers; unset, the inner fake counts. */
  count?: number;
  constructor(
    private readonly inner: HubDeviceQuery,
    public zones: { value: unknown; count: number }[] = [],
  ) {}

  countDevices(queryCondition: string): Promise<number> {
    this.countQueries.push(queryCondition);
    return this.count === undefined
      ? this.inner.countDevices(queryCondition)
      : Promise.resolve(this.count);
  }

  queryDeviceIds(
    queryCondition: string,
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<string>> {
    return this.inner.queryDeviceIds(queryCondition, page);
  }

  countByValue(queryCondition: string, path: string): Promise<{ value: unknown; count: number }[]> {
    this.groupQueries.push({ queryCondition, path });
    return Promise.resolve(structuredClone(this.zones));
  }
}

export interface ScheduleFixture extends RolloutFixture {
  deps: ScheduleDeps;
  schedules: InMemoryScheduleStore;
  zoneFleet: FakeZoneFleet;
  /** Moves the clock forward to `iso` (never back). */
  setNow(iso: string): void;
  /** Stores a schedule as `PUT /schedules/{id}` would, body validated. */
  put(scheduleId: string, body: Record<string, unknown>): Promise<StoredSchedule>;
}

export function scheduleFixture(startIso: string): ScheduleFixture {
  const base = rolloutFixture();
  const schedules = new InMemoryScheduleStore();
  const zoneFleet = new FakeZoneFleet(base.fleet);
  const rolloutRules = { isReservedContainer: () => false };
  const deps: ScheduleDeps = { ...base.deps, fleet: zoneFleet, schedules, rolloutRules };
  const setNow = (iso: string) => {
    const seconds = (Date.parse(iso) - base.clock.now().getTime()) / 1000;
    if (seconds < 0) throw new Error(`The clock does not go back to ${iso}`);
    base.clock.advanceSeconds(seconds);
  };
  setNow(startIso);
  const put = async (scheduleId: string, body: Record<string, unknown>) =>
    (await putSchedule(scheduleId, parseScheduleRequest(body, rolloutRules), deps)).schedule;
  return { ...base, deps, schedules, zoneFleet, setNow, put };
}

export const rebootTemplate = {
  operation: {
    type: 'scheduleDeviceMethod',
    cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
  },
  targets: { queryCondition: "tags.site = 'berlin'" },
};
