import { ConcurrencyError } from '../core/errors';
import { JobNotFoundError } from './jobErrors';
import type { Job, StoredJob } from './job';
import type { JobStore } from './ports';

export interface GuardedUpdateResult {
  /** The job as stored after the update (or as last read when no change was needed). */
  job: StoredJob;
  written: boolean;
}

/**
 * Applies `change` and stores the result under the job's revision. When another writer got there first,
 * re-reads the job and decides again, so the change is always made against the latest state.
 * `change` returns `undefined` when nothing needs writing.
 */
export async function updateJobGuarded(
  store: JobStore,
  job: StoredJob,
  change: (current: StoredJob) => Job | undefined,
  maxAttempts = 5,
): Promise<GuardedUpdateResult> {
  let current = job;
  for (let attempt = 1; ; attempt++) {
    const next = change(current);
    if (next === undefined) return { job: current, written: false };
    try {
      return { job: await store.update({ ...next, revision: current.revision }), written: true };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
      const fresh = await store.get(job.jobId);
      if (fresh === undefined) throw new JobNotFoundError(job.jobId);
      current = fresh;
    }
  }
}
