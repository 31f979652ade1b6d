import { ConcurrencyError, ValidationError } from '../../../src/core/errors';
import { JobExistsError, JobNotFoundError } from '../../../src/jobs/jobErrors';
import { terminalJobStatuses, type Job, type StoredJob } from '../../../src/jobs/job';
import type { JobListFilter, JobStore } from '../../../src/jobs/ports';
import type { Clock } from '../../../src/core/clock';
import type { Page } from '../../../src/core/page';

export interface InMemoryJobStoreOptions {
  /** Decides when a pending job's grace is over (default: the system clock). */
  clock?: Clock;
  /** How long `listActive` leaves a pending job to its create (default 10 minutes). */
  createGraceMs?: number;
}

interface Entry {
  job: StoredJob;
  /** Created and not written since: unlisted, left to its create until the grace is over. */
  pendingSinceMs?: number;
}

/** A JobStore kept in a Map, with the adapter's contract (test/contracts/jobStoreContract.ts). */
export class InMemoryJobStore implements JobStore {
  private readonly entries = new Map<string, Entry>();
  private version = 0;
  updates = 0;
  /** Makes the next `update` of this job lose a race, after applying `racingChange` first. */
  private races = new Map<string, (job: StoredJob) => Job>();

  constructor(private readonly options: InMemoryJobStoreOptions = {}) {}

  /** Every stored job, for assertions. */
  stored(): StoredJob[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry.job));
  }

  /** Forgets a job, as if its create had never been stored. */
  drop(jobId: string): void {
    this.entries.delete(jobId);
  }

  raceNextUpdate(jobId: string, racingChange: (job: StoredJob) => Job): void {
    this.races.set(jobId, racingChange);
  }

  createPending(job: Job): Promise<StoredJob> {
    // Stricter than the adapter, which leaves a finished job's id to the caller to avoid.
    if (this.entries.has(job.jobId)) return Promise.reject(new JobExistsError(job.jobId));
    return Promise.resolve(this.put(job, this.nowMs()));
  }

  completeCreate(job: StoredJob): Promise<StoredJob> {
    const entry = this.entries.get(job.jobId);
    if (entry?.pendingSinceMs === undefined || entry.job.revision !== job.revision) {
      return Promise.resolve(structuredClone(job));
    }
    return Promise.resolve(this.put(entry.job));
  }

  get(jobId: string): Promise<StoredJob | undefined> {
    const entry = this.entries.get(jobId);
    return Promise.resolve(entry === undefined ? undefined : structuredClone(entry.job));
  }

  update(job: StoredJob): Promise<StoredJob> {
    const race = this.races.get(job.jobId);
    const current = this.entries.get(job.jobId);
    if (race !== undefined && current !== undefined) {
      this.races.delete(job.jobId);
      this.put(race(structuredClone(current.job)));
    }
    const latest = this.entries.get(job.jobId);
    if (latest === undefined) return Promise.reject(new JobNotFoundError(job.jobId));
    if (latest.job.revision !== job.revision) {
      return Promise.reject(new ConcurrencyError(`Job ${job.jobId} changed meanwhile.`));
    }
    this.updates++;
    return Promise.resolve(this.put(job));
  }

  list(filter: JobListFilter, page: { pageSize: number; continuationToken?: string }) {
    if (filter.rolloutId !== undefined && !/^[A-Za-z0-9-]{1,40}$/.test(filter.rolloutId)) {
      const invalid = { field: 'rolloutId', message: 'is not a valid rollout id' };
      return Promise.reject(new ValidationError([invalid]));
    }
    const all = [...this.entries.values()]
      .filter((entry) => entry.pendingSinceMs === undefined)
      .map((entry) => entry.job)
      .filter((job) => filter.status === undefined || job.status === filter.status)
      .filter((job) => filter.type === undefined || job.spec.type === filter.type)
      .filter((job) => filter.createdAfter === undefined || job.createdAt > filter.createdAfter)
      .filter((job) => job.rolloutId === filter.rolloutId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.jobId.localeCompare(b.jobId));
    const start = Number(page.continuationToken ?? 0);
    const items = all.slice(start, start + page.pageSize).map((job) => structuredClone(job));
    const next = start + page.pageSize < all.length ? String(start + page.pageSize) : undefined;
    const result: Page<StoredJob> =
      next === undefined ? { items } : { items, continuationToken: next };
    return Promise.resolve(result);
  }

  /** Like the adapter: a pending job is taken over (listed) once its grace is over. */
  listActive(): Promise<StoredJob[]> {
    const graceMs = this.options.createGraceMs ?? 10 * 60_000;
    for (const entry of [...this.entries.values()]) {
      const since = entry.pendingSinceMs;
      if (since !== undefined && this.nowMs() - since > graceMs) this.put(entry.job);
    }
    const active = [...this.entries.values()]
      .filter((entry) => entry.pendingSinceMs === undefined && isActive(entry.job))
      .map((entry) => structuredClone(entry.job))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.jobId.localeCompare(b.jobId));
    return Promise.resolve(active);
  }

  private put(job: Job, pendingSinceMs?: number): StoredJob {
    const { revision: _stale, ...plain } = job as Partial<StoredJob> & Job;
    const stored: StoredJob = { ...structuredClone(plain), revision: `r${++this.version}` };
    this.entries.set(job.jobId, {
      job: stored,
      ...(pendingSinceMs === undefined ? {} : { pendingSinceMs }),
    });
    return structuredClone(stored);
  }

  private nowMs(): number {
    return (this.options.clock?.now() ?? new Date()).getTime();
  }
}

/** The poller's rule: not terminal, or terminal with device results still to import. */
function isActive(job: Job): boolean {
  return !terminalJobStatuses.has(job.status) || job.resultsImport?.phase !== 'done';
}
