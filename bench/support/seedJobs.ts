import type { TableEntity } from '@azure/data-tables';
import type { Job, JobSpec } from '../../src/jobs/job';
import { newAcceptedJob } from '../../src/jobs/jobLifecycle';
import { hashRequest } from '../../src/core/requestHash';
import {
  activePartition,
  isActiveJob,
  toListCopyEntity,
  toTruthEntity,
} from '../../src/storage/jobEntity';
import { jobFingerprint } from '../../src/storage/jobFingerprint';
import { toRevision } from '../../src/storage/jobRevision';

const dayMs = 24 * 3600 * 1000;

function methodSpec(index: number, startTime?: string): JobSpec {
  return {
    type: 'scheduleDeviceMethod',
    queryCondition: `deviceId IN ['device-${String((index % 1000) + 1).padStart(5, '0')}']`,
    cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
    maxExecutionTimeInSeconds: 3600,
    ...(startTime === undefined ? {} : { startTime }),
  };
}

/** A job that ran in the past and whose device results were imported: history. */
export function finishedJob(prefix: string, index: number, now: Date): Job {
  const createdMs = now.getTime() - 2 * dayMs - index * 1000;
  const spec = methodSpec(index);
  return {
    jobId: `${prefix}-${String(index).padStart(6, '0')}`,
    spec,
    requestHash: hashRequest(spec),
    status: 'completed',
    statistics: {
      deviceCount: 1,
      failedCount: 0,
      succeededCount: 1,
      runningCount: 0,
      pendingCount: 0,
    },
    createdAt: new Date(createdMs).toISOString(),
    updatedAt: new Date(createdMs + 60_000).toISOString(),
    submittedAt: new Date(createdMs).toISOString(),
    endedAt: new Date(createdMs + 60_000).toISOString(),
    submitAttempts: 0,
    cancelRequested: false,
    resultsImport: { phase: 'done', imported: 1 },
  };
}

/** A job accepted today for a start time a month away: it waits, nowhere near the hub yet. */
export function waitingJob(prefix: string, index: number, now: Date): Job {
  const spec = methodSpec(index, new Date(now.getTime() + 30 * dayMs).toISOString());
  const createdAt = new Date(now.getTime() - index * 1000).toISOString();
  const jobId = `${prefix}-${String(index).padStart(6, '0')}`;
  return newAcceptedJob(jobId, spec, hashRequest(spec), createdAt);
}

/**
 * The jobs-table rows `TableJobStore` keeps for a stored job at version 1: the truth and the
 * newest-first list copy.
 */
export function jobTableRows(job: Job): TableEntity[] {
  const revision = toRevision({
    version: 1,
    listedVersion: 1,
    fingerprint: jobFingerprint(job),
    tableEtag: 'W/"seeded"',
  });
  return [toTruthEntity(job, 1), toListCopyEntity(job, 1, revision)];
}

/** The markers-table row for a stored job at version 1 the poller must follow; none otherwise. */
export function activeMarkerRows(job: Job): TableEntity[] {
  return isActiveJob(job)
    ? [{ partitionKey: activePartition, rowKey: job.jobId, projectedVersion: 1 }]
    : [];
}
