import type { JobState } from '../model/jobState';
import type { JobSpec } from '../model/jobRequest';
import type { TwinPatch } from '../model/twinPatch';
import type { JsonObject } from '../model/types';
import { parseCondition } from '../query/index';
import type { PersistedJob } from './persistedState';

/** A job as saved: its spec without the parsed condition, which is parsed again on load. */
export function toPersistedJob(job: JobState): PersistedJob {
  const { where: _where, startAt: _startAt, ...spec } = job.spec;
  const { inFlight: _inFlight, ...rest } = job;
  return { ...rest, spec };
}

/**
 * A saved job back in the engine. Device operations that were in flight when the emulator
 * stopped never got their answer: they end `failed` with GatewayTimeout, as the hub records a
 * device that does not answer in time. Everything else carries on where it was (README).
 */
export function fromPersistedJob(saved: PersistedJob, now: number): JobState {
  const { twin, ...savedSpec } = saved.spec;
  const spec: JobSpec = {
    ...savedSpec,
    where: parseCondition(saved.spec.queryCondition),
    startAt: saved.startAt,
    ...(twin ? { twin: twinOf(twin) } : {}),
  };
  const job: JobState = { ...saved, spec, stats: { ...saved.stats }, inFlight: 0 };
  for (const record of job.devices) {
    if (record.status !== 'running') continue;
    record.status = 'failed';
    record.endedAt = now;
    record.updatedAt = now;
    record.error = {
      code: 'GatewayTimeout',
      description: 'The hub stopped before the device answered; the answer was lost.',
    };
    job.stats.runningCount -= 1;
    job.stats.failedCount += 1;
  }
  return job;
}

function twinOf(saved: NonNullable<PersistedJob['spec']['twin']>): NonNullable<JobSpec['twin']> {
  return {
    patch: saved.patch as TwinPatch,
    etag: saved.etag,
    original: saved.original as JsonObject,
  };
}
