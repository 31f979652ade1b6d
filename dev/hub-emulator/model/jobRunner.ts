import { compileCondition } from '../query/index';
import type { DeviceRegistry } from './deviceRegistry';
import type { EngineLoop } from './engineLoop';
import { runDeviceOperation, type Verdict } from './deviceJobOperation';
import type { DeviceJobRecord, JobState } from './jobState';
import type { OperationLog } from './operationLog';
import { Pacer } from './pacer';
import type { ResolvedHubOptions } from './resolveOptions';
import type { Clock } from './types';

/** Device operations started per loop turn, so HTTP keeps answering during a large job. */
export const OPERATIONS_PER_SLICE = 256;
/** Method calls awaiting a (delayed) device answer, hub-wide. */
const MAX_IN_FLIGHT = 1000;

export interface JobRunnerDeps {
  registry: DeviceRegistry;
  log: OperationLog;
  options: ResolvedHubOptions;
  clock: Clock;
  loop: EngineLoop;
  onJobEnded(job: JobState): void;
}

/** The budget of one loop turn, shared by every running job. */
export interface Slice {
  remaining: number;
}

/** Moves jobs through their lifecycle and runs their device operations. */
export class JobRunner {
  private readonly pacer: Pacer;
  private inFlight = 0;

  constructor(private readonly deps: JobRunnerDeps) {
    this.pacer = new Pacer(deps.options.limits.deviceOperationsPerSecond);
  }

  /** Does what is due for one job; answers when it next needs the loop (Infinity: on an event). */
  advance(job: JobState, now: number, slice: Slice): number {
    if (job.status === 'queued' || job.status === 'scheduled') {
      if (job.startAt > now) {
        job.status = 'scheduled';
        return job.startAt;
      }
      this.start(job, now);
    }
    if (job.status !== 'running') return Infinity;
    const deadline = (job.startedAt ?? now) + job.spec.maxExecutionTimeInSeconds * 1000;
    if (now >= deadline) {
      this.stopRemaining(job, now, 'failed');
      return Infinity;
    }
    this.dispatch(job, now, slice);
    this.completeIfDone(job, now);
    if (job.status !== 'running') return Infinity;
    return Math.min(deadline, this.nextDispatchAt(job, now, slice));
  }

  /**
   * Ends an active job early: `cancelled` on request, `failed` when it ran out of time. Devices
   * not yet started are canceled or failed; operations already sent finish and are recorded.
   */
  stopRemaining(job: JobState, now: number, status: 'cancelled' | 'failed'): void {
    job.status = status;
    job.endAt = now;
    if (status === 'failed') {
      job.failureReason = `The job did not finish within its maxExecutionTimeInSeconds (${job.spec.maxExecutionTimeInSeconds} s).`;
    }
    for (let index = job.nextDevice; index < job.devices.length; index++) {
      const record = job.devices[index];
      if (record) this.stopRecord(record, now, status);
    }
    if (status === 'failed') job.stats.failedCount += job.stats.pendingCount;
    job.stats.pendingCount = 0;
    job.nextDevice = job.devices.length;
    this.deps.onJobEnded(job);
  }

  private stopRecord(record: DeviceJobRecord, now: number, status: 'cancelled' | 'failed'): void {
    record.updatedAt = now;
    record.endedAt = now;
    if (status === 'cancelled') {
      record.status = 'canceled';
      return;
    }
    record.status = 'failed';
    record.error = {
      code: 'JobMaxExecutionTimeExceeded',
      description: 'The job reached its maxExecutionTimeInSeconds before this device was reached.',
    };
  }

  private start(job: JobState, now: number): void {
    const selects = compileCondition(job.spec.where);
    const records: DeviceJobRecord[] = [];
    for (const device of this.deps.registry.store.after()) {
      if (selects(device)) {
        records.push({
          deviceId: device.deviceId,
          status: 'pending',
          createdAt: now,
          updatedAt: now,
        });
      }
    }
    job.devices = records;
    job.status = 'running';
    job.startedAt = now;
    job.stats.deviceCount = records.length;
    job.stats.pendingCount = records.length;
  }

  private dispatch(job: JobState, now: number, slice: Slice): void {
    const wanted = Math.min(
      slice.remaining,
      MAX_IN_FLIGHT - this.inFlight,
      job.devices.length - job.nextDevice,
    );
    if (wanted <= 0) return;
    const granted = this.pacer.take(now, wanted);
    slice.remaining -= granted;
    for (let count = 0; count < granted; count++) {
      const record = job.devices[job.nextDevice++];
      if (record) this.startDevice(job, record, now);
    }
  }

  private nextDispatchAt(job: JobState, now: number, slice: Slice): number {
    if (job.nextDevice >= job.devices.length || this.inFlight >= MAX_IN_FLIGHT) return Infinity;
    if (slice.remaining <= 0) return now;
    return this.pacer.nextSlotAt(now);
  }

  private completeIfDone(job: JobState, now: number): void {
    if (job.nextDevice < job.devices.length || job.inFlight > 0) return;
    job.status = 'completed';
    job.endAt = now;
    this.deps.onJobEnded(job);
  }

  private startDevice(job: JobState, record: DeviceJobRecord, now: number): void {
    record.status = 'running';
    record.startedAt = now;
    record.updatedAt = now;
    job.stats.pendingCount -= 1;
    job.stats.runningCount += 1;
    job.inFlight += 1;
    this.inFlight += 1;
    runDeviceOperation(this.deps, job, record, (verdict) => this.finish(job, record, verdict));
  }

  private finish(job: JobState, record: DeviceJobRecord, verdict: Verdict): void {
    const now = this.deps.clock.now();
    record.status = verdict.status;
    record.endedAt = now;
    record.updatedAt = now;
    if (verdict.response) record.response = verdict.response;
    if (verdict.error) record.error = verdict.error;
    job.stats.runningCount -= 1;
    if (verdict.status === 'completed') job.stats.succeededCount += 1;
    else job.stats.failedCount += 1;
    job.inFlight -= 1;
    this.inFlight -= 1;
    this.deps.loop.wake();
  }
}
