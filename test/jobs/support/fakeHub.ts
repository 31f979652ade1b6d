import { HubCallError, type HubErrorKind } from '../../../src/core/hubCallError';
import { emptyStatistics, type DeviceResult, type JobSpec } from '../../../src/jobs/job';
import type { HubJobGateway, HubJobSnapshot } from '../../../src/jobs/ports';
import type { Page } from '../../../src/core/page';

type Method = 'createJob' | 'getJob' | 'cancelJob' | 'queryJobs' | 'queryDeviceResults';

interface FakeHubJob {
  snapshot: HubJobSnapshot;
  spec: JobSpec;
  results: DeviceResult[];
}

const activeStatuses = ['queued', 'scheduled', 'running'];

/**
 * A scriptable hub: jobs held in a Map, a slot limit like the real one (429004), injectable
 * failures per method, and a log of every call so tests can count jobs operations and queries.
 */
export class FakeHub implements HubJobGateway {
  readonly jobs = new Map<string, FakeHubJob>();
  readonly calls: { method: Method; jobId?: string; detail?: unknown }[] = [];
  private readonly failures = new Map<Method, HubCallError[]>();

  constructor(public maxActiveJobs = 1) {}

  failNext(method: Method, kind: HubErrorKind, count = 1, details: HubCallError['details'] = {}) {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) queue.push(new HubCallError(kind, `injected ${kind}`, details));
    this.failures.set(method, queue);
  }

  callCount(method: Method): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  /** Moves a hub job on, as the hub's engine would. */
  setStatus(
    jobId: string,
    status: HubJobSnapshot['status'],
    statistics?: Partial<HubJobSnapshot['statistics']>,
  ) {
    const job = this.require(jobId);
    job.snapshot = {
      ...job.snapshot,
      status,
      statistics: { ...job.snapshot.statistics, ...statistics },
      ...(['completed', 'failed', 'cancelled'].includes(status)
        ? { endTime: '2030-01-01T00:10:00Z' }
        : {}),
    };
  }

  /** As on the hub, a job's deviceCount is the number of devices it has records for. */
  setResults(jobId: string, results: DeviceResult[]): void {
    const job = this.require(jobId);
    job.results = results;
    job.snapshot = {
      ...job.snapshot,
      statistics: { ...job.snapshot.statistics, deviceCount: results.length },
    };
  }

  createJob(jobId: string, spec: JobSpec): Promise<HubJobSnapshot> {
    return this.call('createJob', jobId, () => {
      if (this.jobs.has(jobId)) return this.jobs.get(jobId)!.snapshot;
      const active = [...this.jobs.values()].filter((job) =>
        activeStatuses.includes(job.snapshot.status),
      );
      if (active.length >= this.maxActiveJobs) {
        throw new HubCallError('maxActiveJobs', 'ThrottlingMaxActiveJobCountExceeded', {
          status: 429,
          code: 429004,
        });
      }
      const snapshot: HubJobSnapshot = {
        jobId,
        type: spec.type,
        status: 'queued',
        statistics: { ...emptyStatistics },
      };
      this.jobs.set(jobId, { snapshot, spec, results: [] });
      return snapshot;
    });
  }

  getJob(jobId: string): Promise<HubJobSnapshot> {
    return this.call('getJob', jobId, () => this.require(jobId).snapshot);
  }

  cancelJob(jobId: string): Promise<HubJobSnapshot> {
    return this.call('cancelJob', jobId, () => {
      const job = this.require(jobId);
      if (activeStatuses.includes(job.snapshot.status)) this.setStatus(jobId, 'cancelled');
      return job.snapshot;
    });
  }

  queryJobs(
    filter: { status?: HubJobSnapshot['status'] },
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<HubJobSnapshot>> {
    return this.call(
      'queryJobs',
      undefined,
      () => {
        const all = [...this.jobs.values()]
          .map((job) => job.snapshot)
          .filter((snapshot) => filter.status === undefined || snapshot.status === filter.status);
        return paginate(all, page);
      },
      filter,
    );
  }

  queryDeviceResults(
    jobId: string,
    filter: { failedOnly?: boolean; excludeFailed?: boolean },
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<DeviceResult>> {
    return this.call(
      'queryDeviceResults',
      jobId,
      () => {
        const results = (this.jobs.get(jobId)?.results ?? []).filter((result) =>
          filter.failedOnly
            ? result.status === 'failed'
            : filter.excludeFailed
              ? result.status !== 'failed'
              : true,
        );
        return paginate(results, page);
      },
      filter,
    );
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  private require(jobId: string): FakeHubJob {
    const job = this.jobs.get(jobId);
    if (job === undefined)
      throw new HubCallError('notFound', `JobNotFound ${jobId}`, { status: 404, code: 404002 });
    return job;
  }

  private call<T>(
    method: Method,
    jobId: string | undefined,
    run: () => T,
    detail?: unknown,
  ): Promise<T> {
    this.calls.push({ method, jobId, detail });
    const failure = this.failures.get(method)?.shift();
    // Async so that a throw from `run` becomes a rejection, as with a real gateway.
    return (async () => {
      await Promise.resolve();
      if (failure !== undefined) throw failure;
      return structuredClone(run());
    })();
  }
}

function paginate<T>(items: T[], page: { pageSize?: number; continuationToken?: string }): Page<T> {
  const size = page.pageSize ?? 100;
  const start = Number(page.continuationToken ?? 0);
  const slice = items.slice(start, start + size);
  return start + size < items.length
    ? { items: slice, continuationToken: String(start + size) }
    : { items: slice };
}
