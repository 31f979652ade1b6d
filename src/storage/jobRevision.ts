import type { TableEntityResult } from '@azure/data-tables';
import { ConcurrencyError } from '../core/errors';
import type { Job, StoredJob } from '../jobs/job';
import { fromJobEntity } from './jobEntity';
import { jobFingerprint } from './jobFingerprint';

/**
 * The concurrency token handed out as `StoredJob.revision`, opaque to everyone but this store:
 * `<version>;<listedVersion>;<fingerprint>;<table ETag>`. The versions let projections tell
 * newer from older without another read; the fingerprint and listed version let the next update
 * tell whether the list copy needs rewriting, also without a read. A job that so far lives only in
 * its marker has no table ETag yet: its token ends in an empty one.
 */
export interface RevisionToken {
  version: number;
  listedVersion: number;
  fingerprint: string;
  tableEtag: string;
}

export function toRevision(token: RevisionToken): string {
  return `${token.version};${token.listedVersion};${token.fingerprint};${token.tableEtag}`;
}

export function parseRevision(revision: string): RevisionToken | undefined {
  const match = /^(\d+);(\d+);([A-Za-z0-9_-]+);(.*)$/.exec(revision);
  if (match === null) return undefined;
  return {
    version: Number(match[1]),
    listedVersion: Number(match[2]),
    fingerprint: match[3] ?? '',
    tableEtag: match[4] ?? '',
  };
}

export function storedFromTruth(entity: TableEntityResult<Record<string, unknown>>): {
  stored: StoredJob;
  listedVersion: number;
} {
  const { job, version, listedVersion, fingerprint } = fromJobEntity(entity);
  const revision = toRevision({ version, listedVersion, fingerprint, tableEtag: entity.etag });
  return { stored: { ...job, revision }, listedVersion };
}

/** `job` at version 1, under `tableEtag`: empty while the job lives only in its marker. */
export function firstVersion(job: Job, tableEtag: string): StoredJob {
  const { revision: _ignored, ...plainJob } = job as Partial<StoredJob> & Job;
  const fingerprint = jobFingerprint(plainJob);
  return {
    ...plainJob,
    revision: toRevision({ version: 1, listedVersion: 1, fingerprint, tableEtag }),
  };
}

/** A job that so far lives in its marker: version 1, with no table ETag (see `update`). */
export function pendingJob(job: Job): StoredJob {
  return firstVersion(job, '');
}

/** The store's token behind a job's revision; one it never issued counts as a lost race. */
export function revisionTokenOf(job: StoredJob): RevisionToken {
  const token = parseRevision(job.revision);
  if (token === undefined) throw new ConcurrencyError(`Job ${job.jobId}: unknown revision.`);
  return token;
}

export function isPendingToken(token: RevisionToken): boolean {
  return token.tableEtag === '';
}
