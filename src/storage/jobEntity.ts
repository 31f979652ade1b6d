import type { TableEntity } from '@azure/data-tables';
import { terminalJobStatuses, type Job, type StoredJob } from '../jobs/job';
import { fromJsonProperties, toJsonProperties } from './chunkedJson';
import { jobFingerprint } from './jobFingerprint';
import { invertedTimeKey } from './tableKeys';

/**
 * Layout of the job tables (see TableJobStore for why). In the jobs table a job's truth sits
 * alone in its own partition (PK jobId, RK `truthRowKey`); the shared list partition holds a `_`,
 * which no job id (`^[A-Za-z0-9-]{1,64}$`) can, so no job's truth ever lands in it. Active
 * markers live in a table of their own, in the one partition `activePartition` (RK jobId).
 */
export const truthRowKey = 'job';
export const listPartition = '_byTime';
export const activePartition = '_active';

/**
 * The list partition of a job: plain jobs share `listPartition`; a rollout's chunk jobs have one
 * per rollout, so a plain listing never reads them and a rollout's listing reads only them.
 */
export function listPartitionOf(job: Pick<Job, 'rolloutId'>): string {
  return job.rolloutId === undefined ? listPartition : rolloutListPartition(job.rolloutId);
}

export function rolloutListPartition(rolloutId: string): string {
  return `_byRollout-${rolloutId}`;
}

/**
 * The poller's working set: not terminal yet, or terminal with device results still to import.
 * A terminal job without `resultsImport` counts as still to import, as the importer reads it.
 */
export function isActiveJob(job: Job): boolean {
  return !terminalJobStatuses.has(job.status) || job.resultsImport?.phase !== 'done';
}

/** Row key of a job's list copy: newest first, ties broken by id. */
export function listRowKey(job: Pick<Job, 'jobId' | 'createdAt'>): string {
  const createdMs = Date.parse(job.createdAt);
  if (Number.isNaN(createdMs)) throw new Error(`Job ${job.jobId} has no valid createdAt.`);
  return `${invertedTimeKey(createdMs)}-${job.jobId}`;
}

/**
 * The truth row at `version`. `listedVersion` is the version whose content the list copy must
 * show (the last one that changed the fingerprint); the active marker is in step once its
 * `projectedVersion` reaches it.
 */
export function toTruthEntity(job: Job, version: number, listedVersion = version): TableEntity {
  return { ...jobColumns(job.jobId, truthRowKey, job, version), listedVersion };
}

/**
 * The list copy of `job` at `version`, with the revision the store handed out for it. The column
 * keeps its first name, `storeEtag`, so copies written by earlier versions read the same.
 */
export function toListCopyEntity(job: Job, version: number, revision: string): TableEntity {
  return {
    ...jobColumns(listPartitionOf(job), listRowKey(job), job, version),
    storeEtag: revision,
  };
}

/** The revision a list copy holds (see `toListCopyEntity`). */
export function listCopyRevision(entity: Record<string, unknown>): string {
  return String(entity.storeEtag);
}

/**
 * The whole job travels as JSON; status, type and createdAt are plain columns so OData filters
 * (and people) can read them.
 */
function jobColumns(partitionKey: string, rowKey: string, job: Job, version: number): TableEntity {
  const { revision: _ignored, ...plainJob } = job as Partial<StoredJob> & Job;
  return {
    partitionKey,
    rowKey,
    jobId: job.jobId,
    status: job.status,
    type: job.spec.type,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    version,
    fingerprint: jobFingerprint(plainJob),
    ...toJsonProperties('job', plainJob),
  };
}

/**
 * The marker of a job just created: it holds the whole job until the job's first write has put
 * the truth in the jobs table (see TableJobStore).
 */
export function toPendingMarkerEntity(job: Job): TableEntity {
  const { revision: _ignored, ...plainJob } = job as Partial<StoredJob> & Job;
  return {
    partitionKey: activePartition,
    rowKey: job.jobId,
    pending: true,
    ...toJsonProperties('job', plainJob),
  };
}

/** The job a pending marker holds, or `undefined` for a marker that holds none. */
export function fromPendingMarker(entity: Record<string, unknown>): Job | undefined {
  if (entity.pending !== true) return undefined;
  return fromJsonProperties(entity, 'job') as Job | undefined;
}

export interface JobRow {
  job: Job;
  version: number;
  listedVersion: number;
  fingerprint: string;
}

/** Reads a truth row or a list copy. Rows written before fingerprints existed get them here. */
export function fromJobEntity(entity: Record<string, unknown>): JobRow {
  const job = fromJsonProperties(entity, 'job') as Job | undefined;
  if (job === undefined) throw new Error(`Jobs table row ${String(entity.rowKey)} holds no job.`);
  const version = typeof entity.version === 'number' ? entity.version : 0;
  return {
    job,
    version,
    listedVersion: typeof entity.listedVersion === 'number' ? entity.listedVersion : version,
    fingerprint: typeof entity.fingerprint === 'string' ? entity.fingerprint : jobFingerprint(job),
  };
}
