import { writeCopyForward } from './conditionalWrites';
import type { TableClient, TableEntity } from '@azure/data-tables';
import type { StoredJob } from '../jobs/job';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { activePartition, isActiveJob, toListCopyEntity } from './jobEntity';
import { provisionalCopyVersion } from './provisionalListCopy';
import { undefinedWhenNotFound } from './storageErrors';

/** The two tables a job spans: truth and list copies in `jobs`, active markers in `markers`. */
export interface JobTableClients {
  jobs: TableClient;
  markers: TableClient;
}

export interface ProjectionOptions extends StorageCallOptions {
  /** The job may have no copy yet: try the insert alone before reading. */
  fresh?: boolean;
}

/**
 * Brings a job's list copy and active marker in line with `job` (the truth at `version`).
 * Idempotent and safe to repeat: the copy only moves forward in version, and the marker records
 * `version` (or is removed) only after the copy is written, so a marker in step with the truth's
 * listed version proves the copy shows that content; updates that leave the content alone rely
 * on that and skip both writes.
 */
export async function projectJob(
  tables: JobTableClients,
  job: StoredJob,
  version: number,
  options: ProjectionOptions = {},
): Promise<void> {
  const call = { abortSignal: options.abortSignal };
  await writeListCopy(tables.jobs, job, version, options.fresh === true, call);
  if (isActiveJob(job)) {
    // Replace: a marker that still holds the pending job (see TableJobStore.createPending) drops it.
    await tables.markers.upsertEntity(
      { partitionKey: activePartition, rowKey: job.jobId, projectedVersion: version },
      'Replace',
      call,
    );
  } else {
    await deleteActiveMarker(tables.markers, job.jobId, call);
  }
}

/**
 * A bare marker (no job, no version), the shape earlier versions wrote to keep a job followed;
 * `listActive` reads it as out of step and re-projects the job (docs/storage.md).
 */
export async function ensureActiveMarker(
  markers: TableClient,
  jobId: string,
  options: StorageCallOptions = {},
): Promise<void> {
  await markers.upsertEntity({ partitionKey: activePartition, rowKey: jobId }, 'Merge', options);
}

export async function deleteActiveMarker(
  markers: TableClient,
  jobId: string,
  options: StorageCallOptions = {},
): Promise<void> {
  await undefinedWhenNotFound(() => markers.deleteEntity(activePartition, jobId, options));
}

/** Writes the copy unless one as new (or the create's matching provisional one) is there. */
async function writeListCopy(
  client: TableClient,
  job: StoredJob,
  version: number,
  fresh: boolean,
  options: StorageCallOptions,
): Promise<void> {
  const entity = toListCopyEntity(job, version, job.revision);
  await writeCopyForward<ListedVersion>(
    client,
    entity,
    {
      select: ['version', 'fingerprint'],
      isCurrent: (existing) => showsAlready(existing, version, entity),
    },
    fresh,
    options,
  );
}

interface ListedVersion {
  version?: number;
  fingerprint?: string;
}

/**
 * A copy as new as `version`, or the provisional copy of a create showing the same content (the
 * fingerprint digests what the list shows), which only a later version needs to replace.
 */
function showsAlready(existing: ListedVersion, version: number, entity: TableEntity): boolean {
  const existingVersion = existing.version ?? 0;
  if (existingVersion >= version) return true;
  return existingVersion === provisionalCopyVersion && existing.fingerprint === entity.fingerprint;
}
