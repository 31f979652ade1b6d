import { ConcurrencyError } from '../../../src/core/errors';
import { JobExistsError } from '../../../src/jobs/jobErrors';
import type { Job, StoredJob } from '../../../src/jobs/job';
import type { CreateJobOptions, JobListFilter, JobStore } from '../../../src/jobs/ports';
import type { Page } from '../../../src/core/page';

const isTerminal = (job: Job) =>
  ['completed', 'failed', 'cancelled', 'rejected'].includes(job.status);

/** A JobStore with the adapter's contract (ETags, active set, newest first) kept in a Map. */
export class InMemoryJobStore implements JobStore {
  readonly jobs = new Map<string, StoredJob>();
  private version = 0;
  updates = 0;
  /** Jobs created with `deferListing` that no update or `ensureVisible` has listed yet. */
  readonly unlisted = new Set<string>();
  /** Makes the next `update` of this job lose a race, after applying `racingChange` first. */
  private races = new Map<string, (job: StoredJob) => Job>();

  raceNextUpdate(jobId: string, racingChange: (job: StoredJob) => Job): void {
    this.races.set(jobId, racingChange);
  }

  create(job: Job, options: CreateJobOptions = {}): Promise<StoredJob> {
    if (this.jobs.has(job.jobId)) return Promise.reject(new JobExistsError(job.jobId));
    if (options.deferListing === true) this.unlisted.add(job.jobId);
    return Promise.resolve(this.put(job));
  }

  ensureVisible(job: StoredJob): Promise<void> {
    this.unlisted.delete(job.jobId);
    return Promise.resolve();
  }

  get(jobId: string): Promise<StoredJob | undefined> {
    const job = this.jobs.get(jobId);
    return Promise.resolve(job === undefined ? undefined : structuredClone(job));
  }

  update(job: StoredJob): Promise<StoredJob> {
    const race = this.races.get(job.jobId);
    const current = this.jobs.get(job.jobId);
    if (race !== undefined && current !== undefined) {
      this.races.delete(job.jobId);
      this.put(race(structuredClone(current)));
    }
    if (this.jobs.get(job.jobId)?.etag !== job.etag) {
      return Promise.reject(new ConcurrencyError(`Job ${job.jobId} changed meanwhile.`));
    }
    this.updates++;
    this.unlisted.delete(job.jobId);
    const { etag: _etag, ...plain } = job;
    return Promise.resolve(this.put(plain));
  }

  list(filter: JobListFilter, page: { pageSize: number; continuationToken?: string }) {
    const all = [...this.jobs.values()]
      .filter((job) => !this.unlisted.has(job.jobId))
      .filter((job) => filter.status === undefined || job.status === filter.status)
      .filter((job) => filter.type === undefined || job.spec.type === filter.type)
      .filter((job) => filter.createdAfter === undefined || job.createdAt > filter.createdAfter)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const start = Number(page.continuationToken ?? 0);
    const items = all.slice(start, start + page.pageSize).map((job) => structuredClone(job));
    const next = start + page.pageSize < all.length ? String(start + page.pageSize) : undefined;
    const result: Page<StoredJob> =
      next === undefined ? { items } : { items, continuationToken: next };
    return Promise.resolve(result);
  }

  listActive(): Promise<StoredJob[]> {
    const active = [...this.jobs.values()].filter(
      (job) =>
        !isTerminal(job) || (job.resultsImport !== undefined && job.resultsImport.phase !== 'done'),
    );
    return Promise.resolve(active.map((job) => structuredClone(job)));
  }

  private put(job: Job): StoredJob {
    const stored: StoredJob = { ...structuredClone(job), etag: `v${++this.version}` };
    this.jobs.set(job.jobId, stored);
    return structuredClone(stored);
  }
}
