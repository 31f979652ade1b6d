import type { TableClient, TableEntity } from '@azure/data-tables';
import { ConcurrencyError } from '../core/errors';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { JobNotFoundError } from '../jobs/jobErrors';
import { classifyStorageError } from './storageErrors';

/** Inserts a job's truth; a truth already there means another writer won (`ConcurrencyError`). */
export async function insertTruth(
  client: TableClient,
  truth: TableEntity,
  jobId: string,
  options: StorageCallOptions,
): Promise<string> {
  try {
    const { etag } = await client.createEntity(truth, options);
    return requireEtag(etag);
  } catch (error) {
    if (classifyStorageError(error) === 'conflict') {
      throw new ConcurrencyError(`Job ${jobId} was changed by someone else.`);
    }
    throw error;
  }
}

export async function replaceTruth(
  client: TableClient,
  truth: TableEntity,
  jobId: string,
  ifMatch: string,
  options: StorageCallOptions,
): Promise<string> {
  try {
    const { etag } = await client.updateEntity(truth, 'Replace', { ...options, etag: ifMatch });
    return requireEtag(etag);
  } catch (error) {
    const kind = classifyStorageError(error);
    if (kind === 'preconditionFailed') {
      throw new ConcurrencyError(`Job ${jobId} was changed by someone else.`);
    }
    if (kind === 'notFound') throw new JobNotFoundError(jobId);
    throw error;
  }
}

function requireEtag(etag: string | undefined): string {
  if (etag === undefined) throw new Error('Table Storage answered a write without an ETag.');
  return etag;
}
