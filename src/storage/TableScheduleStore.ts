import { odata, type TableClient } from '@azure/data-tables';
import { ConcurrencyError } from '../core/errors';
import { openContinuationToken, sealContinuationToken } from '../core/continuationToken';
import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { ScheduleStore } from '../schedules/ports';
import type { Schedule, StoredSchedule } from '../schedules/schedule';
import { ScheduleExistsError } from '../schedules/scheduleErrors';
import { readOnePage } from './readOnePage';
import { fromScheduleEntity, schedulePartition, toScheduleEntity } from './scheduleEntity';
import { classifyStorageError, undefinedWhenNotFound } from './storageErrors';

/** Schedules in one table, one row each, every write guarded by the row's ETag. */
export class TableScheduleStore implements ScheduleStore {
  constructor(private readonly table: () => Promise<TableClient>) {}

  async create(schedule: Schedule, options: StorageCallOptions = {}): Promise<StoredSchedule> {
    const client = await this.table();
    try {
      const written = await client.createEntity(toScheduleEntity(schedule), options);
      return { ...withoutRevision(schedule), revision: requireEtag(written.etag) };
    } catch (error) {
      if (classifyStorageError(error) === 'conflict') {
        throw new ScheduleExistsError(schedule.scheduleId);
      }
      throw error;
    }
  }

  async get(
    scheduleId: string,
    options: StorageCallOptions = {},
  ): Promise<StoredSchedule | undefined> {
    const client = await this.table();
    const entity = await undefinedWhenNotFound(() =>
      client.getEntity<Record<string, unknown>>(schedulePartition, scheduleId, options),
    );
    return entity === undefined ? undefined : fromScheduleEntity(entity);
  }

  async update(
    schedule: StoredSchedule,
    options: StorageCallOptions = {},
  ): Promise<StoredSchedule> {
    const client = await this.table();
    try {
      const written = await client.updateEntity(toScheduleEntity(schedule), 'Replace', {
        ...options,
        etag: schedule.revision,
      });
      return { ...withoutRevision(schedule), revision: requireEtag(written.etag) };
    } catch (error) {
      const kind = classifyStorageError(error);
      if (kind === 'preconditionFailed' || kind === 'notFound') {
        throw new ConcurrencyError(
          `Schedule ${schedule.scheduleId} was changed or deleted meanwhile.`,
        );
      }
      throw error;
    }
  }

  async delete(scheduleId: string, options: StorageCallOptions = {}): Promise<boolean> {
    const client = await this.table();
    const deleted = await undefinedWhenNotFound(async () => {
      await client.deleteEntity(schedulePartition, scheduleId, options);
      return true;
    });
    return deleted === true;
  }

  async list(
    page: { pageSize: number; continuationToken?: string },
    options: StorageCallOptions = {},
  ): Promise<Page<StoredSchedule>> {
    const binding = { listing: 'schedules' };
    const given = page.continuationToken;
    const inner = given === undefined ? undefined : openContinuationToken(given, binding);
    const client = await this.table();
    const { rows, continuationToken } = await readOnePage(
      client,
      odata`PartitionKey eq ${schedulePartition}`,
      { pageSize: page.pageSize, ...(inner === undefined ? {} : { continuationToken: inner }) },
      options,
    );
    const items = rows.map(fromScheduleEntity);
    return continuationToken === undefined
      ? { items }
      : { items, continuationToken: sealContinuationToken(continuationToken, binding) };
  }
}

function withoutRevision(schedule: Schedule): Schedule {
  const { revision: _stale, ...plain } = schedule as Partial<StoredSchedule> & Schedule;
  return plain;
}

function requireEtag(etag: string | undefined): string {
  if (etag === undefined) throw new Error('Table Storage answered a write without an ETag.');
  return etag;
}
