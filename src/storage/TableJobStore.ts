import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import {
  ConcurrencyError,
  JobExistsError,
  JobNotFoundError,
  ValidationError,
} from '../jobs/errors';
import type { Job, StoredJob } from '../jobs/job';
import type { Clock, CreateJobOptions, JobListFilter, JobStore, Page } from '../jobs/ports';
import {
  activePartition,
  fromJobEntity,
  isActiveJob,
  listPartition,
  parseStoreEtag,
  toStoreEtag,
  toTruthEntity,
  truthRowKey,
} from './jobEntity';
import { jobFingerprint } from './jobFingerprint';
import {
  deleteActiveMarker,
  ensureActiveMarker,
  projectJob,
  type JobTableClients,
} from './jobProjections';
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

/** Where the store keeps jobs: truth and list copies in `jobs`, active markers in `markers`. */
export interface JobTables {
  jobs: () => Promise<TableClient>;
  markers: () => Promise<TableClient>;
}

const jobIdPattern = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Jobs in two tables. In `jobs`, each job's truth has a partition of its own (PK jobId, RK
 * 'job'), guarded by its ETag, so reading or writing it costs the same however many jobs are
 * stored, and PK '_byTime' (RK inverted created time + id) holds a full copy for newest-first
 * listing. `markers` holds one marker per job the poller must follow (PK '_active', RK jobId):
 * a table of its own because Azurite answers a query by scanning the whole table, so markers
 * among all the history made every poll tick slower as history grew. Partitions and tables share
 * no transaction, so the copy and the marker are projections, written after the truth and
 * repaired:
 * - create writes the marker and the truth together and answers only once both have landed; if
 *   the marker fails it takes the truth back. A crash between the two can leave a marker without
 *   a job (listActive drops it after a grace period) or, more rarely, a truth without a marker:
 *   a job nobody was told of, never listed or run, which a PUT replay makes visible
 *   (`ensureVisible`). `listActive` re-projects any job whose marker lags the truth's listed
 *   version;
 * - with `deferListing`, the copy is first written by the job's first update (or
 *   `ensureVisible`), which leaves the marker lagging for listActive to record;
 * - the copy only moves forward in version, the marker records a version only after the copy
 *   holds it, and a marker is deleted only after the copy shows the job's final state. An update
 *   never revives a finished job (no status leaves terminal) and never changes `createdAt` (the
 *   copy's row key).
 * The copy is rewritten only when what it shows changes (see `jobFingerprint`): the poller's
 * tick stamps `lastPolledAt` and `updatedAt` on every active job, and rewriting a copy among all
 * the history each time made ticks slow down as history grew. So list items show `lastPolledAt`
 * and `updatedAt` as of the job's last change; `get` shows the latest.
 */
export class TableJobStore implements JobStore {
  constructor(
    private readonly tables: JobTables,
    private readonly options: TableJobStoreOptions = {},
  ) {}

  async create(job: Job, options: CreateJobOptions = {}): Promise<StoredJob> {
    const clients = await this.clients();
    const [marker, truth] = await Promise.allSettled([
      ensureActiveMarker(clients.markers, job.jobId),
      clients.jobs.createEntity(toTruthEntity(job, 1)),
    ]);
    if (truth.status === 'rejected') {
      // A marker that landed anyway points at nothing new: listActive drops it (see followMarker).
      if (classifyStorageError(truth.reason) === 'conflict') throw new JobExistsError(job.jobId);
      throw truth.reason;
    }
    const tableEtag = requireEtag(truth.value.etag);
    if (marker.status === 'rejected') {
      await withdrawTruth(clients.jobs, job.jobId, tableEtag);
      throw marker.reason;
    }
    const etag = toStoreEtag({
      version: 1,
      listedVersion: 1,
      fingerprint: jobFingerprint(job),
      tableEtag,
    });
    const stored: StoredJob = { ...job, etag };
    if (options.deferListing !== true) await projectJob(clients, stored, 1, { fresh: true });
    return stored;
  }

  async get(jobId: string): Promise<StoredJob | undefined> {
    if (!jobIdPattern.test(jobId)) return undefined;
    const client = await this.tables.jobs();
    const entity = await undefinedWhenNotFound(() => client.getEntity(jobId, truthRowKey));
    return entity === undefined ? undefined : storedFromTruth(entity).stored;
  }

  async update(job: StoredJob): Promise<StoredJob> {
    const token = parseStoreEtag(job.etag);
    if (token === undefined) throw new ConcurrencyError(`Job ${job.jobId}: unknown etag.`);
    const client = await this.tables.jobs();
    const version = token.version + 1;
    const fingerprint = jobFingerprint(job);
    // Version 1 may have no copy yet (`deferListing`): its first update always writes one.
    const firstUpdate = token.version === 1;
    const listChanged = firstUpdate || fingerprint !== token.fingerprint;
    const listedVersion = listChanged ? version : token.listedVersion;
    const tableEtag = await this.replaceTruth(client, job, version, listedVersion, token.tableEtag);
    const { etag: _stale, ...plainJob } = job;
    const etag = toStoreEtag({ version, listedVersion, fingerprint, tableEtag });
    const stored: StoredJob = { ...plainJob, etag };
    // Unchanged content: the copy and marker stay as they are. Should the last change's
    // projection not have finished, the marker still lags `listedVersion` and listActive repairs.
    if (listChanged) {
      // The first copy is inserted without a read, and the marker left lagging for listActive to
      // bring in step: the request path that creates and submits a job pays two writes fewer.
      const first = { fresh: true, leaveMarkerLagging: true };
      await projectJob(await this.clients(), stored, version, firstUpdate ? first : {});
    }
    return stored;
  }

  async ensureVisible(job: StoredJob): Promise<void> {
    const token = parseStoreEtag(job.etag);
    if (token === undefined) throw new ConcurrencyError(`Job ${job.jobId}: unknown etag.`);
    const clients = await this.clients();
    // Past version 1 an update has listed the job; only an active job's marker may be missing.
    if (token.version === 1) await projectJob(clients, job, 1, { fresh: true });
    else if (isActiveJob(job)) await ensureActiveMarker(clients.markers, job.jobId);
  }

  private async replaceTruth(
    client: TableClient,
    job: StoredJob,
    version: number,
    listedVersion: number,
    ifMatch: string,
  ): Promise<string> {
    try {
      const { etag } = await client.updateEntity(
        toTruthEntity(job, version, listedVersion),
        'Replace',
        { etag: ifMatch },
      );
      return requireEtag(etag);
    } catch (error) {
      const kind = classifyStorageError(error);
      if (kind === 'preconditionFailed') {
        throw new ConcurrencyError(`Job ${job.jobId} was changed by someone else.`);
      }
      if (kind === 'notFound') throw new JobNotFoundError(job.jobId);
      throw error;
    }
  }

  async list(
    filter: JobListFilter,
    page: { pageSize: number; continuationToken?: string },
  ): Promise<Page<StoredJob>> {
    const client = await this.tables.jobs();
    const { rows, continuationToken } = await readOnePage(client, listFilter(filter), page);
    const items = rows.map((row) => ({ ...fromJobEntity(row).job, etag: String(row.storeEtag) }));
    return continuationToken === undefined ? { items } : { items, continuationToken };
  }

  async listActive(): Promise<StoredJob[]> {
    const clients = await this.clients();
    const markers: TableEntityResult<{ projectedVersion?: number }>[] = [];
    const query = clients.markers.listEntities<{ projectedVersion?: number }>({
      queryOptions: { filter: odata`PartitionKey eq ${activePartition}` },
    });
    for await (const marker of query) markers.push(marker);
    const jobs = await mapWithConcurrency(markers, this.options.readConcurrency ?? 16, (marker) =>
      this.followMarker(clients, marker),
    );
    return jobs
      .filter((job): job is StoredJob => job !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.jobId.localeCompare(b.jobId));
  }

  /** Reads the truth behind one marker, repairing projections that lag behind it. */
  private async followMarker(
    clients: JobTableClients,
    marker: TableEntityResult<{ projectedVersion?: number }>,
  ): Promise<StoredJob | undefined> {
    const jobId = marker.rowKey ?? '';
    const entity = await undefinedWhenNotFound(() => clients.jobs.getEntity(jobId, truthRowKey));
    if (entity === undefined) {
      if (this.isOrphanOldEnough(marker.timestamp)) {
        await deleteActiveMarker(clients.markers, jobId);
      }
      return undefined;
    }
    const { stored, listedVersion } = storedFromTruth(entity);
    const active = isActiveJob(stored);
    if (!active || (marker.projectedVersion ?? 0) < listedVersion) {
      // The truth shows what it showed at `listedVersion`, so a copy that far along is kept.
      // Best effort: a failed repair must not hide the job from the poller; the next call retries.
      await projectJob(clients, stored, listedVersion).catch(() => undefined);
    }
    return active ? stored : undefined;
  }

  private async clients(): Promise<JobTableClients> {
    const [jobs, markers] = await Promise.all([this.tables.jobs(), this.tables.markers()]);
    return { jobs, markers };
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
  listedVersion: number;
} {
  const { job, version, listedVersion, fingerprint } = fromJobEntity(entity);
  const etag = toStoreEtag({ version, listedVersion, fingerprint, tableEtag: entity.etag });
  return { stored: { ...job, etag }, version, listedVersion };
}

/**
 * Takes back a truth whose marker could not be written, so the failed create leaves no job the
 * poller cannot see. Should this fail too, the row stays unlisted and unacknowledged; a PUT
 * replay of the same job makes it visible (see createJob).
 */
async function withdrawTruth(client: TableClient, jobId: string, etag: string): Promise<void> {
  await undefinedWhenNotFound(() => client.deleteEntity(jobId, truthRowKey, { etag })).catch(
    () => undefined,
  );
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
