import { hubErrors } from '../hubError';
import type { DeviceRegistry } from './deviceRegistry';
import type { EngineLoop } from './engineLoop';
import { toJobJson, type JobJson } from './jobJson';
import { parseJobRequest } from './jobRequest';
import { JobRunner, OPERATIONS_PER_SLICE } from './jobRunner';
import { isActive, newJobState, type JobState } from './jobState';
import type { OperationLog } from './operationLog';
import { decodeToken, encodeToken, pageSizeOf } from './paging';
import type { ResolvedHubOptions } from './resolveOptions';
import type { Clock, Page, PageRequest } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface JobEngineDeps {
  registry: DeviceRegistry;
  log: OperationLog;
  options: ResolvedHubOptions;
  clock: Clock;
  loop: EngineLoop;
}

export interface JobFilter {
  jobType?: string;
  jobStatus?: string;
}

/** Jobs v2: create, get, cancel, query, and the engine that runs them. */
export class JobEngine {
  private readonly jobs = new Map<string, JobState>();
  private readonly active = new Set<JobState>();
  /** Ended jobs in end order, so expired ones are purged from the front. */
  private ended: JobState[] = [];
  private nextSeq = 1;
  private readonly runner: JobRunner;

  constructor(private readonly deps: JobEngineDeps) {
    this.runner = new JobRunner({ ...deps, onJobEnded: (job) => this.onJobEnded(job) });
    deps.loop.register((now) => this.step(now));
  }

  create(jobIdFromPath: string, body: unknown): JobJson {
    const spec = parseJobRequest(jobIdFromPath, body);
    this.purgeExpired();
    if (this.jobs.has(spec.jobId)) throw hubErrors.jobAlreadyExists(spec.jobId);
    const limit = this.deps.options.limits.maxActiveJobs;
    if (limit > 0 && this.active.size >= limit) throw hubErrors.maxActiveJobs(limit);
    const job = newJobState(spec, this.nextSeq++, this.deps.clock.now());
    this.jobs.set(spec.jobId, job);
    this.active.add(job);
    this.deps.loop.wake();
    return toJobJson(job);
  }

  get(jobId: string): JobJson {
    return toJobJson(this.existing(jobId));
  }

  /** Cancels an active job; a job that already ended is answered as it is. */
  cancel(jobId: string): JobJson {
    const job = this.existing(jobId);
    if (isActive(job)) this.runner.stopRemaining(job, this.deps.clock.now(), 'cancelled');
    return toJobJson(job);
  }

  query(filter: JobFilter, page: PageRequest): Page<JobJson> {
    this.purgeExpired();
    const type = filter.jobType?.toLowerCase() || undefined;
    const status = filter.jobStatus?.toLowerCase() || undefined;
    const scope = `jobs|${type ?? ''}|${status ?? ''}`;
    const afterSeq = decodeToken(page.continuationToken, scope)?.[0] ?? 0;
    const pageSize = pageSizeOf(page);
    const items: JobJson[] = [];
    let lastSeq = afterSeq;
    for (const job of this.jobs.values()) {
      if (job.seq <= afterSeq) continue;
      if (type !== undefined && job.spec.type.toLowerCase() !== type) continue;
      if (status !== undefined && job.status !== status) continue;
      if (items.length === pageSize)
        return { items, continuationToken: encodeToken(scope, [lastSeq]) };
      items.push(toJobJson(job));
      lastSeq = job.seq;
    }
    return { items };
  }

  /** Jobs in creation order, for `devices.jobs` queries; purges expired ones first. */
  jobsInOrder(): Iterable<JobState> {
    this.purgeExpired();
    return this.jobs.values();
  }

  /** One job's state by id (after purging expired jobs), for `devices.jobs` queries. */
  find(jobId: string): JobState | undefined {
    this.purgeExpired();
    return this.jobs.get(jobId);
  }

  /** Every job still kept, in creation order, and the next creation number: what a restart needs. */
  snapshot(): { jobs: JobState[]; nextSeq: number } {
    this.purgeExpired();
    return { jobs: [...this.jobs.values()], nextSeq: this.nextSeq };
  }

  /** Replaces every job with `jobs` (read back after a restart); active ones carry on. */
  restore(jobs: readonly JobState[], nextSeq: number): void {
    this.jobs.clear();
    this.active.clear();
    this.ended = [];
    for (const job of [...jobs].sort((a, b) => a.seq - b.seq)) {
      this.jobs.set(job.spec.jobId, job);
      if (isActive(job)) this.active.add(job);
      else this.ended.push(job);
    }
    this.ended.sort((a, b) => (a.endAt ?? 0) - (b.endAt ?? 0));
    this.nextSeq = Math.max(nextSeq, ...jobs.map((job) => job.seq + 1));
    this.deps.loop.wake();
  }

  private existing(jobId: string): JobState {
    this.purgeExpired();
    const job = this.jobs.get(jobId);
    if (!job) throw hubErrors.jobNotFound(jobId);
    return job;
  }

  private step(now: number): number | undefined {
    const slice = { remaining: OPERATIONS_PER_SLICE };
    let nextDue = Infinity;
    for (const job of [...this.active]) {
      nextDue = Math.min(nextDue, this.runner.advance(job, now, slice));
    }
    return this.active.size > 0 && nextDue !== Infinity ? nextDue : undefined;
  }

  private onJobEnded(job: JobState): void {
    this.active.delete(job);
    this.ended.push(job);
  }

  private purgeExpired(): void {
    const retentionMs = this.deps.options.jobRetentionDays * DAY_MS;
    const now = this.deps.clock.now();
    let expired = 0;
    for (const job of this.ended) {
      if ((job.endAt ?? now) + retentionMs > now) break;
      this.jobs.delete(job.spec.jobId);
      expired += 1;
    }
    if (expired > 0) this.ended = this.ended.slice(expired);
  }
}
