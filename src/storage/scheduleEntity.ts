import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { Schedule, StoredSchedule } from '../schedules/schedule';
import { fromJsonProperties, toJsonProperties } from './chunkedJson';

/**
 * Layout of the schedules table (docs/storage.md): every schedule in the one partition
 * `schedulePartition`, row key its id, so the timer lists them all in id order with one query.
 * Definition and state (runs, last evaluation, zone census) are one JSON value, guarded by the
 * row's ETag, which is the revision.
 */
export const schedulePartition = 'schedule';

/** An entity holds at most 1 MiB and a string character takes two bytes: room for the columns. */
export const maxScheduleJsonChars = 500_000;

export function toScheduleEntity(schedule: Schedule): TableEntity {
  const { revision: _ignored, ...plain } = schedule as Partial<StoredSchedule> & Schedule;
  const json = toJsonProperties('schedule', plain);
  const chars = Object.values(json).reduce<number>(
    (sum, part) => sum + (typeof part === 'string' ? part.length : 0),
    0,
  );
  if (chars > maxScheduleJsonChars) {
    throw new Error(`Schedule ${schedule.scheduleId} is too large to store (${chars} characters).`);
  }
  return { partitionKey: schedulePartition, rowKey: schedule.scheduleId, ...json };
}

export function fromScheduleEntity(
  entity: TableEntityResult<Record<string, unknown>>,
): StoredSchedule {
  const value = fromJsonProperties(entity, 'schedule') as Schedule | undefined;
  if (value === undefined)
    throw new Error(`Schedule row ${String(entity.rowKey)} holds no schedule.`);
  return { ...value, revision: entity.etag };
}
