import type { TableEntity } from '@azure/data-tables';
import { emptyStatistics, type Job, type JobSpec } from '../../src/jobs/job';
import { hashRequest } from '../../src/jobs/requestHash';
import {
  activePartition,
  isActiveJob,
  jobPartition,
  listPartition,
  listRowKey,
  toJobEntity,
  toStoreEtag,
} from '../../src/storage/jobEntity';

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
  return {
    jobId: `${prefix}-${String(index).padStart(6, '0')}`,
    spec,
    requestHash: hashRequest(spec),
    status: 'accepted',
    statistics: { ...emptyStatistics },
    createdAt,
    updatedAt: createdAt,
    submitAttempts: 0,
    cancelRequested: false,
  };
}

/**
 * The jobs-table rows `TableJobStore` keeps for a stored job at version 1: the truth, the
 * newest-first list copy, and, for a job the poller must follow, its active marker.
 */
export function jobTableRows(job: Job): TableEntity[] {
  const rows = [
    toJobEntity(jobPartition, job.jobId, job, 1),
    toJobEntity(listPartition, listRowKey(job), job, 1, toStoreEtag(1, 'W/"seeded"')),
  ];
  if (isActiveJob(job)) {
    rows.push({ partitionKey: activePartition, rowKey: job.jobId, projectedVersion: 1 });
  }
  return rows;
}
