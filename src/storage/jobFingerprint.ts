import { createHash } from 'node:crypto';
import type { Job, StoredJob } from '../jobs/job';

/**
 * A digest of what a job's list copy shows: the job minus `lastPolledAt` and `updatedAt` (and
 * the store's revision). The poller stamps those two on every tick; leaving them out lets a tick that
 * changed nothing else skip the list copy. Keys are sorted, so equal jobs digest equally whatever
 * order their properties were built in. Base64url: no `;`, safe inside the store's revision.
 */
export function jobFingerprint(job: Job): string {
  const {
    revision: _revision,
    lastPolledAt: _polled,
    updatedAt: _updated,
    ...listed
  } = job as Partial<StoredJob> & Job;
  return createHash('sha256').update(canonicalJson(listed)).digest('base64url').slice(0, 22);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : inner,
  );
}
