import {
  odata,
  type TableClient,
  type TableEntity,
  type TableEntityResult,
} from '@azure/data-tables';
import { ConcurrencyError } from '../core/errors';
import { JobExistsError } from '../jobs/jobErrors';
import type { Job, StoredJob } from '../jobs/job';
import type { Clock } from '../core/clock';
import type { JobListFilter, JobStore } from '../jobs/ports';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { Page } from '../core/page';
import {
  activePartition,
  fromJobEntity,
  fromPendingMarker,
  isActiveJob,
  listCopyRevision,
  toPendingMarkerEntity,
  toTruthEntity,
  truthRowKey,
} from './jobEntity';
import { jobFingerprint } from './jobFingerprint';
import { listFilter } from './jobListQuery';
import { deleteActiveMarker, projectJob, type JobTableClients } from './jobProjections';
import {
  firstVersion,
  isPendingToken,
  pendingJob,
  revisionTokenOf,
  storedFromTruth,
  toRevision,
} from './jobRevision';
import { insertTruth, replaceTruth } from './jobTruthWrites';
import { mapWithConcurrency } from './mapWithConcurrency';
import { insertProvisionalCopy } from './provisionalListCopy';
import { classifyStorageError, undefinedWhenNotFound } from './storageErrors';
import { readOnePage } from './readOnePage';

export interface TableJobStoreOptions {
  clock?: Clock;
  /**
   * A marker without its truth is left alone this long (default 10 minutes): its create may
   * still be under way. After that, a marker holding a job writes it out; any other is dropped.
   */
  createGraceMs?: number;
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
 * no transaction, so one write records a new job and everything else follows from it:
 * - createPending writes only the marker, holding the whole job (`pending`): the job exists from
 *   then on (`get` reads it there), and the poller can never miss it. Its first write creates the
 *   truth: the update that records its submission sends a provisional copy (version 0, replaced
 *   by any projection) beside it, `completeCreate` the copy after it. Should the create stop
 *   before that, `listActive` writes the truth from the marker once the marker is older than a
 *   grace period (the create may still be under way until then), and the job is submitted like
 *   any other waiting job;
 * - the copy and the marker are projections of the truth, written after it and repaired:
 *   `listActive` re-projects any job whose marker lags the truth's listed version. The copy only
 *   moves forward in version, the marker records a version only after the copy holds it (and
 *   then no longer holds the job), and a marker is deleted only after the copy shows the job's
 *   final state. An update never revives a finished job (no status leaves terminal) and never
 *   changes `createdAt` (the copy's row key).
 * The copy is rewritten only when what it shows changes (see `jobFingerprint`): the poller's
 * tick stamps `lastPolledAt` and `updatedAt` on every active job, and rewriting a copy among all
 * the history each time made ticks slow down as history grew. So list items show `lastPolledAt`
 * and `updatedAt` as of the job's last change; `get` shows the latest. Rows and their versions:
 * docs/storage.md.
 */
export class TableJobStore implements JobStore {
  constructor(
    private readonly tables: JobTables,
    private readonly options: TableJobStoreOptions = {},
  ) {}

  async createPending(job: Job, options: StorageCallOptions = {}): Promise<StoredJob> {
    const clients = await this.clients();
    try {
      await clients.markers.createEntity(toPendingMarkerEntity(job), options);
    } catch (error) {
      if (classifyStorageError(error) === 'conflict') throw new JobExistsError(job.jobId);
      throw error;
    }
    return pendingJob(job);
  }

  async get(jobId: string, options: StorageCallOptions = {}): Promise<StoredJob | undefined> {
    if (!jobIdPattern.test(jobId)) return undefined;
    const clients = await this.clients();
    const entity = await undefinedWhenNotFound(() =>
      clients.jobs.getEntity(jobId, truthRowKey, options),
    );
    if (entity !== undefined) return storedFromTruth(entity).stored;
    const marker = await undefinedWhenNotFound(() =>
      clients.markers.getEntity(activePartition, jobId, options),
    );
    const job = marker === undefined ? undefined : fromPendingMarker(marker);
    return job === undefined ? undefined : pendingJob(job);
  }

  async update(job: StoredJob, options: StorageCallOptions = {}): Promise<StoredJob> {
    const token = revisionTokenOf(job);
    const clients = await this.clients();
    const version = token.version + 1;
    const fingerprint = jobFingerprint(job);
    const first = isPendingToken(token);
    const listChanged = fingerprint !== token.fingerprint || first;
    const listedVersion = listChanged ? version : token.listedVersion;
    const truth = toTruthEntity(job, version, listedVersion);
    const { revision: _stale, ...plainJob } = job;
    const tableEtag = first
      ? await this.insertFirstTruth(clients, truth, plainJob, options)
      : await replaceTruth(clients.jobs, truth, job.jobId, token.tableEtag, options);
    const revision = toRevision({ version, listedVersion, fingerprint, tableEtag });
    const stored: StoredJob = { ...plainJob, revision };
    if (!first && listChanged) await projectJob(clients, stored, version, options);
    // Unchanged content leaves the copy and marker as they are. Should the last change's
    // projection not have finished, the marker still lags `listedVersion` and listActive repairs.
    return stored;
  }

  /**
   * The job's first write: its truth and, at the same time, a provisional list copy, so the
   * create that submits a job waits for one round trip here, not two. The marker (still holding
   * the job, which nobody reads once the truth exists) lags the truth: listActive projects the
   * job properly, copy and marker, off the request path (docs/storage.md).
   */
  private async insertFirstTruth(
    clients: JobTableClients,
    truth: TableEntity,
    job: Job,
    options: StorageCallOptions,
  ): Promise<string> {
    const [inserted, copied] = await Promise.allSettled([
      insertTruth(clients.jobs, truth, job.jobId, options),
      insertProvisionalCopy(clients.jobs, job, options),
    ]);
    if (inserted.status === 'rejected') throw inserted.reason;
    if (copied.status === 'rejected') throw copied.reason;
    return inserted.value;
  }

  async completeCreate(job: StoredJob, options: StorageCallOptions = {}): Promise<StoredJob> {
    if (!isPendingToken(revisionTokenOf(job))) return job;
    return (await this.materialise(await this.clients(), job, options)) ?? job;
  }

  /**
   * Writes the truth (version 1) and the copy of a job that so far lives in its marker. Answers
   * `undefined` when the truth is there already: another writer got there first and projects it.
   */
  private async materialise(
    clients: JobTableClients,
    job: Job,
    options: StorageCallOptions,
  ): Promise<StoredJob | undefined> {
    let tableEtag: string;
    try {
      tableEtag = await insertTruth(clients.jobs, toTruthEntity(job, 1), job.jobId, options);
    } catch (error) {
      if (error instanceof ConcurrencyError) return undefined;
      throw error;
    }
    const stored = firstVersion(job, tableEtag);
    await projectJob(clients, stored, 1, { ...options, fresh: true });
    return stored;
  }

  async list(
    filter: JobListFilter,
    page: { pageSize: number; continuationToken?: string },
    options: StorageCallOptions = {},
  ): Promise<Page<StoredJob>> {
    const client = await this.tables.jobs();
    const { rows, continuationToken } = await readOnePage(
      client,
      listFilter(filter),
      page,
      options,
    );
    const items = rows.map((row) => ({
      ...fromJobEntity(row).job,
      revision: listCopyRevision(row),
    }));
    return continuationToken === undefined ? { items } : { items, continuationToken };
  }

  async listActive(options: StorageCallOptions = {}): Promise<StoredJob[]> {
    const clients = await this.clients();
    const markers: TableEntityResult<Record<string, unknown>>[] = [];
    const query = clients.markers.listEntities<Record<string, unknown>>({
      ...options,
      queryOptions: { filter: odata`PartitionKey eq ${activePartition}` },
    });
    for await (const marker of query) markers.push(marker);
    const jobs = await mapWithConcurrency(markers, this.options.readConcurrency ?? 16, (marker) =>
      this.followMarker(clients, marker, options),
    );
    return jobs
      .filter((job): job is StoredJob => job !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.jobId.localeCompare(b.jobId));
  }

  /** Reads the truth behind one marker, repairing projections that lag behind it. */
  private async followMarker(
    clients: JobTableClients,
    marker: TableEntityResult<Record<string, unknown>>,
    options: StorageCallOptions,
  ): Promise<StoredJob | undefined> {
    const jobId = marker.rowKey ?? '';
    const entity = await undefinedWhenNotFound(() =>
      clients.jobs.getEntity(jobId, truthRowKey, options),
    );
    if (entity === undefined) {
      if (!this.isOldEnough(marker.timestamp)) return undefined;
      // A create that stopped before the job's first write: write it now, and follow the job.
      const pending = fromPendingMarker(marker);
      if (pending !== undefined) return this.materialise(clients, pendingJob(pending), options);
      await deleteActiveMarker(clients.markers, jobId, options);
      return undefined;
    }
    const { stored, listedVersion } = storedFromTruth(entity);
    const active = isActiveJob(stored);
    const projectedVersion = marker.projectedVersion;
    if (!active || typeof projectedVersion !== 'number' || projectedVersion < listedVersion) {
      // The truth shows what it showed at `listedVersion`, so a copy that far along is kept.
      // Best effort: a failed repair must not hide the job from the poller; the next call retries.
      await projectJob(clients, stored, listedVersion, options).catch(() => undefined);
    }
    return active ? stored : undefined;
  }

  private async clients(): Promise<JobTableClients> {
    const [jobs, markers] = await Promise.all([this.tables.jobs(), this.tables.markers()]);
    return { jobs, markers };
  }

  /** Whether a marker without a truth is past the grace period its create may still need. */
  private isOldEnough(timestamp: string | undefined): boolean {
    const writtenMs = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
    const nowMs = (this.options.clock?.now() ?? new Date()).getTime();
    const graceMs = this.options.createGraceMs ?? 10 * 60_000;
    return !Number.isNaN(writtenMs) && nowMs - writtenMs > graceMs;
  }
}
