import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { Schedule, StoredSchedule } from './schedule';

/**
 * Where schedules are kept, definition and state (runs, last evaluation) in one row. Every
 * write is guarded by `revision`: a stale one throws `ConcurrencyError` (src/core/errors.ts).
 */
export interface ScheduleStore {
  /** Stores a new schedule; an id already stored throws `ScheduleExistsError`. */
  create(schedule: Schedule, options?: StorageCallOptions): Promise<StoredSchedule>;
  get(scheduleId: string, options?: StorageCallOptions): Promise<StoredSchedule | undefined>;
  update(schedule: StoredSchedule, options?: StorageCallOptions): Promise<StoredSchedule>;
  /** False when there was none. */
  delete(scheduleId: string, options?: StorageCallOptions): Promise<boolean>;
  /** In schedule-id order. */
  list(
    page: { pageSize: number; continuationToken?: string },
    options?: StorageCallOptions,
  ): Promise<Page<StoredSchedule>>;
}
