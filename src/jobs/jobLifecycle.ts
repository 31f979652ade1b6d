import {
  emptyStatistics,
  terminalJobStatuses,
  type Job,
  type JobSpec,
  type JobStatus,
} from './job';
import type { HubJobSnapshot } from './ports';

/** Jobs that exist at the hub and have not finished there. */
export const hubActiveStatuses = ['queued', 'scheduled', 'running'] as const;
export type HubActiveStatus = (typeof hubActiveStatuses)[number];

const statusRank: Record<JobStatus, number> = {
  accepted: 0,
  queued: 1,
  scheduled: 2,
  running: 3,
  completed: 4,
  failed: 4,
  cancelled: 4,
  rejected: 4,
};

export function isTerminal(status: JobStatus): boolean {
  return terminalJobStatuses.has(status);
}

/** The failed-first part of the job's device-result import is done (its failures are counted). */
export function failedResultsImported(job: Pick<Job, 'resultsImport'>): boolean {
  const phase = job.resultsImport?.phase;
  return phase !== undefined && phase !== 'failed';
}

/** Every device result of the job is imported. */
export function resultsImported(job: Pick<Job, 'resultsImport'>): boolean {
  return job.resultsImport?.phase === 'done';
}

export function isHubActive(status: JobStatus): status is HubActiveStatus {
  return (hubActiveStatuses as readonly JobStatus[]).includes(status);
}

/** The hub statuses a job stored as `status` can still be in while it is active at the hub. */
export function reachableHubActiveStatuses(status: HubActiveStatus): HubActiveStatus[] {
  return hubActiveStatuses.filter((candidate) => statusRank[candidate] >= statusRank[status]);
}

/**
 * The job after the hub reported `snapshot`. Statuses only move forward, so a stale snapshot
 * racing a newer one can never undo progress, and a terminal job never changes again. The first
 * time a job turns terminal its device results are queued for import (failures first).
 */
export function applyHubSnapshot(job: Job, snapshot: HubJobSnapshot, now: Date): Job {
  if (isTerminal(job.status) || statusRank[snapshot.status] < statusRank[job.status]) return job;
  const next: Job = {
    ...job,
    status: snapshot.status,
    statistics: { ...snapshot.statistics },
    updatedAt: now.toISOString(),
  };
  if (snapshot.statusMessage !== undefined) next.statusMessage = snapshot.statusMessage;
  if (snapshot.failureReason !== undefined) next.failureReason = snapshot.failureReason;
  if (isTerminal(snapshot.status)) {
    next.endedAt = validEndTime(snapshot.endTime) ?? now.toISOString();
    next.resultsImport = { phase: 'failed', imported: 0 };
  }
  return next;
}

/** The hub reports `9999-12-31T23:59:59.9999999` (or nothing) for jobs that have not ended. */
function validEndTime(endTime: string | undefined): string | undefined {
  if (endTime === undefined || endTime.startsWith('9999')) return undefined;
  const withZone = /[zZ]|[+-]\d\d:\d\d$/.test(endTime) ? endTime : `${endTime}Z`;
  const parsed = new Date(withZone);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/** True when storing `next` instead of `current` would change what a reader sees. */
export function hasHubChanges(current: Job, next: Job): boolean {
  return (
    current.status !== next.status ||
    current.statusMessage !== next.statusMessage ||
    current.failureReason !== next.failureReason ||
    JSON.stringify(current.statistics) !== JSON.stringify(next.statistics)
  );
}

/** A job as it is first stored: `accepted`, not yet at the hub, nothing attempted. */
export function newAcceptedJob(
  jobId: string,
  spec: JobSpec,
  requestHash: string,
  createdAt: string,
): Job {
  return {
    jobId,
    spec,
    requestHash,
    status: 'accepted',
    statistics: { ...emptyStatistics },
    createdAt,
    updatedAt: createdAt,
    submitAttempts: 0,
    cancelRequested: false,
  };
}
