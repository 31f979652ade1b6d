import type { TableClient } from '@azure/data-tables';
import type { Job } from '../jobs/job';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { insertIfAbsent } from './conditionalWrites';
import { toListCopyEntity } from './jobEntity';
import { jobFingerprint } from './jobFingerprint';
import { toRevision } from './jobRevision';

/**
 * The list version of a copy written beside its job's first truth rather than after it: below
 * every real version, so a projection of the truth replaces it unless it shows the same content
 * (docs/storage.md).
 */
export const provisionalCopyVersion = 0;

/**
 * Inserts a copy of `job`, which is about to become the truth's first version, while the truth
 * itself is being inserted. Should that insert lose (another writer created the job first), this
 * copy shows content no truth holds; version 0 has the truth's projection replace it, and its
 * revision, which names no ETag, only ever loses an update. A copy already there is left: whoever
 * wrote it is at least as far along.
 */
export async function insertProvisionalCopy(
  client: TableClient,
  job: Job,
  options: StorageCallOptions,
): Promise<void> {
  const fingerprint = jobFingerprint(job);
  const revision = toRevision({ version: 1, listedVersion: 1, fingerprint, tableEtag: '' });
  await insertIfAbsent(client, toListCopyEntity(job, provisionalCopyVersion, revision), options);
}
