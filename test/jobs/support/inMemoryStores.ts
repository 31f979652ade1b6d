import type { DeviceResult } from '../../../src/jobs/job';
import type { Clock } from '../../../src/core/clock';
import type { DeviceResultStore } from '../../../src/jobs/ports';
import type { IdempotencyRecord, IdempotencyStore } from '../../../src/core/idempotencyStore';
import type { Page } from '../../../src/core/page';
import type { WorkMessage, WorkQueue } from '../../../src/core/workQueue';

export class InMemoryDeviceResultStore implements DeviceResultStore {
  readonly results = new Map<string, DeviceResult>();
  upserts = 0;

  upsert(results: DeviceResult[]): Promise<void> {
    this.upserts++;
    for (const result of results)
      this.results.set(`${result.jobId}/${result.deviceId}`, structuredClone(result));
    return Promise.resolve();
  }

  list(
    jobId: string,
    filter: { status?: string },
    page: { pageSize: number; continuationToken?: string },
  ) {
    const all = [...this.results.values()]
      .filter((result) => result.jobId === jobId)
      .filter((result) => filter.status === undefined || result.status === filter.status)
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    const start = Number(page.continuationToken ?? 0);
    const items = all.slice(start, start + page.pageSize);
    const result: Page<DeviceResult> =
      start + page.pageSize < all.length
        ? { items, continuationToken: String(start + page.pageSize) }
        : { items };
    return Promise.resolve(result);
  }
}

/** Like the adapter, an expired record no longer holds its key. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, IdempotencyRecord>();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  claim(scope: string, key: string, record: IdempotencyRecord) {
    const existing = this.records.get(`${scope}/${key}`);
    const expired =
      existing !== undefined && !(Date.parse(existing.expiresAt) > this.clock.now().getTime());
    if (existing !== undefined && !expired) return Promise.resolve(structuredClone(existing));
    this.records.set(`${scope}/${key}`, structuredClone(record));
    return Promise.resolve(undefined);
  }

  complete(scope: string, key: string, record: IdempotencyRecord): Promise<void> {
    this.records.set(`${scope}/${key}`, structuredClone(record));
    return Promise.resolve();
  }

  release(scope: string, key: string): Promise<void> {
    this.records.delete(`${scope}/${key}`);
    return Promise.resolve();
  }
}

export class RecordingQueue implements WorkQueue {
  readonly sent: { message: WorkMessage; delaySeconds: number }[] = [];
  failNextSend = false;

  send(message: WorkMessage, options?: { delaySeconds?: number }): Promise<void> {
    if (this.failNextSend) {
      this.failNextSend = false;
      return Promise.reject(new Error('queue unavailable'));
    }
    this.sent.push({ message, delaySeconds: options?.delaySeconds ?? 0 });
    return Promise.resolve();
  }

  /** The job ids of the `submitJob` messages sent, in order. */
  get submittedJobIds(): string[] {
    return this.sent.flatMap(({ message }) =>
      message.kind === 'submitJob' ? [message.jobId] : [],
    );
  }
}

export class ManualClock implements Clock {
  constructor(private current = new Date('2030-01-01T00:00:00Z')) {}

  now(): Date {
    return new Date(this.current);
  }

  advanceSeconds(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}
