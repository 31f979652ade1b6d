import type { TableEntity } from '@azure/data-tables';
import { terminalJobStatuses, type Job, type StoredJob } from '../jobs/job';
import { fromJsonProperties, toJsonProperties } from './chunkedJson';
import { invertedTimeKey } from './tableKeys';

/** Partitions of the jobs table (see TableJobStore for why there are three). */
export const jobPartition = 'job';
export const listPartition = 'byTime';
export const activePartition = 'active';

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
 * The entity for the truth (PK 'job') and the list copy (PK 'byTime'). The whole job travels as
 * JSON; status, type and createdAt are plain columns so OData filters (and people) can read them.
 */
export function toJobEntity(
  partitionKey: string,
  rowKey: string,
  job: Job,
  version: number,
  storeEtag?: string,
): TableEntity {
  const { etag: _ignored, ...plainJob } = job as Partial<StoredJob>;
  return {
    partitionKey,
    rowKey,
    jobId: job.jobId,
    status: job.status,
    type: job.spec.type,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    version,
    ...(storeEtag === undefined ? {} : { storeEtag }),
    ...toJsonProperties('job', plainJob),
  };
}

export function fromJobEntity(entity: Record<string, unknown>): { job: Job; version: number } {
  const job = fromJsonProperties(entity, 'job') as Job | undefined;
  if (job === undefined) throw new Error(`Jobs table row ${String(entity.rowKey)} holds no job.`);
  return { job, version: typeof entity.version === 'number' ? entity.version : 0 };
}

/**
 * The concurrency token handed out as `StoredJob.etag`: the truth's version and its table ETag.
 * The version lets projections tell newer from older without another read.
 */
export function toStoreEtag(version: number, tableEtag: string): string {
  return `${version};${tableEtag}`;
}

export function parseStoreEtag(etag: string): { version: number; tableEtag: string } | undefined {
  const match = /^(\d+);(.+)$/.exec(etag);
  if (match === null) return undefined;
  return { version: Number(match[1]), tableEtag: match[2] ?? '' };
}
