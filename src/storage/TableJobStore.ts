import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import {
  ConcurrencyError,
  JobExistsError,
  JobNotFoundError,
  ValidationError,
} from '../jobs/errors';
import type { Job, StoredJob } from '../jobs/job';
import type { Clock, JobListFilter, JobStore, Page } from '../jobs/ports';
import {
  activePartition,
  fromJobEntity,
  isActiveJob,
  jobPartition,
  listPartition,
  parseStoreEtag,
  toJobEntity,
  toStoreEtag,
} from './jobEntity';
import { deleteActiveMarker, ensureActiveMarker, projectJob } from './jobProjections';
import { mapWithConcurrency } from './mapWithConcurrency';
import { classifyStorageError, undefinedWhenNotFound } from './storageErrors';
import { readOnePage } from './readOnePage';
import { invertedTimeKey } from './tableKeys';

export interface TableJobStoreOptions {
  clock?: Clock;
  /** A marker without its job is left alone this long: its create may still be under way. */
  orphanMarkerGraceMs?: number;
  /** Point reads in flight at once in `listActive`. */
  readConcurrency?: number;
}

const jobIdPattern = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Jobs in one table, three partitions. PK 'job' (RK jobId) is the source of truth, guarded by its
 * ETag. PK 'byTime' (RK inverted created time + id) holds a full copy for newest-first listing,
 * and PK 'active' (RK jobId) a marker per job the poller must follow. Partitions share no
 * transaction, so the copy and the marker are projections, written after the truth and repaired:
 * - create writes the marker first, so a crash at any point leaves the job visible to
 *   `listActive`, which re-projects any job whose marker lags the truth's version;
 * - the copy only moves forward in version, and a marker is deleted only after the copy shows
 *   the job's final state. An update never revives a finished job (no status leaves terminal)
 *   and never changes `createdAt` (the copy's row key).
 */
export class TableJobStore implements JobStore {
  constructor(
    private readonly table: () => Promise<TableClient>,
    private readonly options: TableJobStoreOptions = {},
  ) {}

  async create(job: Job): Promise<StoredJob> {
    const client = await this.table();
    await ensureActiveMarker(client, job.jobId);
    let tableEtag: string | undefined;
    try {
      ({ etag: tableEtag } = await client.createEntity(
        toJobEntity(jobPartition, job.jobId, job, 1),
      ));
    } catch (error) {
      if (classifyStorageError(error) === 'conflict') throw new JobExistsError(job.jobId);
      throw error;
    }
    const stored: StoredJob = { ...job, etag: toStoreEtag(1, requireEtag(tableEtag)) };
    await projectJob(client, stored, 1, { fresh: true });
    return stored;
  }

  async get(jobId: string): Promise<StoredJob | undefined> {
    if (!jobIdPattern.test(jobId)) return undefined;
    const client = await this.table();
    const entity = await undefinedWhenNotFound(() => client.getEntity(jobPartition, jobId));
    return entity === undefined ? undefined : storedFromTruth(entity).stored;
  }

  async update(job: StoredJob): Promise<StoredJob> {
    const token = parseStoreEtag(job.etag);
    if (token === undefined) throw new ConcurrencyError(`Job ${job.jobId}: unknown etag.`);
    const client = await this.table();
    const version = token.version + 1;
    let tableEtag: string | undefined;
    try {
      ({ etag: tableEtag } = await client.updateEntity(
        toJobEntity(jobPartition, job.jobId, job, version),
        'Replace',
        { etag: token.tableEtag },
      ));
    } catch (error) {
      const kind = classifyStorageError(error);
      if (kind === 'preconditionFailed') {
        throw new ConcurrencyError(`Job ${job.jobId} was changed by someone else.`);
      }
      if (kind === 'notFound') throw new JobNotFoundError(job.jobId);
      throw error;
    }
    const { etag: _stale, ...plainJob } = job;
    const stored: StoredJob = { ...plainJob, etag: toStoreEtag(version, requireEtag(tableEtag)) };
    await projectJob(client, stored, version);
    return stored;
  }

  async list(
    filter: JobListFilter,
    page: { pageSize: number; continuationToken?: string },
  ): Promise<Page<StoredJob>> {
    const client = await this.table();
    const { rows, continuationToken } = await readOnePage(client, listFilter(filter), page);
    const items = rows.map((row) => ({ ...fromJobEntity(row).job, etag: String(row.storeEtag) }));
    return continuationToken === undefined ? { items } : { items, continuationToken };
  }

  async listActive(): Promise<StoredJob[]> {
    const client = await this.table();
    const markers: TableEntityResult<{ projectedVersion?: number }>[] = [];
    const query = client.listEntities<{ projectedVersion?: number }>({
      queryOptions: { filter: odata`PartitionKey eq ${activePartition}` },
    });
    for await (const marker of query) markers.push(marker);
    const jobs = await mapWithConcurrency(markers, this.options.readConcurrency ?? 16, (marker) =>
      this.followMarker(client, marker),
    );
    return jobs
      .filter((job): job is StoredJob => job !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.jobId.localeCompare(b.jobId));
  }

  /** Reads the truth behind one marker, repairing projections that lag behind it. */
  private async followMarker(
    client: TableClient,
    marker: TableEntityResult<{ projectedVersion?: number }>,
  ): Promise<StoredJob | undefined> {
    const jobId = marker.rowKey ?? '';
    const entity = await undefinedWhenNotFound(() => client.getEntity(jobPartition, jobId));
    if (entity === undefined) {
      if (this.isOrphanOldEnough(marker.timestamp)) await deleteActiveMarker(client, jobId);
      return undefined;
    }
    const { stored, version } = storedFromTruth(entity);
    const active = isActiveJob(stored);
    if (!active || (marker.projectedVersion ?? 0) < version) {
      // Best effort: a failed repair must not hide the job from the poller; the next call retries.
      await projectJob(client, stored, version).catch(() => undefined);
    }
    return active ? stored : undefined;
  }

  private isOrphanOldEnough(timestamp: string | undefined): boolean {
    const writtenMs = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
    const nowMs = (this.options.clock?.now() ?? new Date()).getTime();
    const graceMs = this.options.orphanMarkerGraceMs ?? 10 * 60_000;
    return !Number.isNaN(writtenMs) && nowMs - writtenMs > graceMs;
  }
}

function storedFromTruth(entity: TableEntityResult<Record<string, unknown>>): {
  stored: StoredJob;
  version: number;
} {
  const { job, version } = fromJobEntity(entity);
  return { stored: { ...job, etag: toStoreEtag(version, entity.etag) }, version };
}

function requireEtag(etag: string | undefined): string {
  if (etag === undefined) throw new Error('Table Storage answered a write without an ETag.');
  return etag;
}

function listFilter(filter: JobListFilter): string {
  const conditions = [odata`PartitionKey eq ${listPartition}`];
  if (filter.createdAfter !== undefined) {
    const afterMs = Date.parse(filter.createdAfter);
    if (Number.isNaN(afterMs)) {
      throw new ValidationError([{ field: 'createdAfter', message: 'is not a valid instant' }]);
    }
    // Row keys start with the inverted creation time: "created after" is "row key below".
    conditions.push(odata`RowKey lt ${invertedTimeKey(afterMs)}`);
  }
  if (filter.status !== undefined) conditions.push(odata`status eq ${filter.status}`);
  if (filter.type !== undefined) conditions.push(odata`type eq ${filter.type}`);
  return conditions.join(' and ');
}
