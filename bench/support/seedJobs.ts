import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Job, JobSpec } from '../../src/jobs/job';
import type { JobStore } from '../../src/jobs/ports';
import { hashRequest } from '../../src/jobs/requestHash';
import {
  jobPartition,
  listPartition,
  listRowKey,
  toJobEntity,
  toStoreEtag,
} from '../../src/storage/jobEntity';
import { mapWithConcurrency } from '../../src/storage/mapWithConcurrency';

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
    statistics: {
      deviceCount: 0,
      failedCount: 0,
      succeededCount: 0,
      runningCount: 0,
      pendingCount: 0,
    },
    createdAt,
    updatedAt: createdAt,
    submitAttempts: 0,
    cancelRequested: false,
  };
}

/** Stores jobs one by one through the app's own `JobStore` (truth, list copy, active marker). */
export async function seedThroughStore(
  store: JobStore,
  jobs: readonly Job[],
  concurrency = 32,
): Promise<void> {
  await mapWithConcurrency(jobs, concurrency, (job) => store.create(job));
}

const maxEntitiesPerTransaction = 100;

/**
 * Writes finished jobs straight into the jobs table in 100-entity transactions: the truth row and
 * the newest-first list copy, exactly as `TableJobStore` lays them out. Finished jobs have no
 * active marker. Much faster than the store's one-by-one writes, for seeding history in bulk.
 */
export async function seedFinishedByTransactions(
  client: TableClient,
  jobs: readonly Job[],
  concurrency = 8,
): Promise<void> {
  const truths = jobs.map((job) => toJobEntity(jobPartition, job.jobId, job, 1));
  const copies = jobs.map((job) =>
    toJobEntity(listPartition, listRowKey(job), job, 1, toStoreEtag(1, 'W/"seeded"')),
  );
  const batches = [...chunk(truths), ...chunk(copies)];
  await mapWithConcurrency(batches, concurrency, (batch) =>
    client.submitTransaction(batch.map((entity): TransactionAction => ['create', entity])),
  );
}

function chunk<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += maxEntitiesPerTransaction) {
    chunks.push(items.slice(start, start + maxEntitiesPerTransaction));
  }
  return chunks;
}
