import type { Logger } from '../core/logger';
import type { Clock } from '../core/clock';
import type { DeviceResult, StoredJob } from './job';
import type { DeviceResultStore, HubJobGateway, HubSlotStore, JobStore } from './ports';
import type { IdempotencyStore } from '../core/idempotencyStore';
import type { WorkQueue } from '../core/workQueue';

/** Azure Storage queues hide a message for at most 7 days; stay safely below. */
export const maxQueueDelaySeconds = 7 * 24 * 3600 - 3600;

/** How jobs are admitted to the hub (docs/architecture.md): submitted shortly before their start, retried later. */
export interface AdmissionOptions {
  /** A job is submitted this long before its start time (SUBMIT_LEAD_SECONDS). */
  submitLeadSeconds: number;
  /** Deferred submissions come back after min(base·2^attempts, max) + jitter seconds. */
  submitRetryBaseSeconds: number;
  submitRetryMaxSeconds: number;
  /** The queue's longest visibility delay; longer waits hop through several messages. */
  maxQueueDelaySeconds: number;
  /** How many jobs hubjobs may have active at the hub at once (HUB_MAX_ACTIVE_JOBS). */
  maxActiveJobs: number;
  /**
   * A slot hold whose job is not yet recorded as submitted is kept this long (its submit may still
   * be under way), then the poller frees it: what a crashed instance left (docs/storage.md).
   */
  slotClaimGraceSeconds: number;
  /**
   * The hub's job device operations a second (HUB_DEVICE_OPS_PER_SECOND): when a job waiting for
   * a slot is submitted, its expected end is reckoned from it, and a `followJob` hands the slot on
   * then. Absent: no job is followed, the poller alone sees jobs end.
   */
  deviceOperationsPerSecond?: number;
}

/** The ports every jobs use case may need, built once per process by the composition root. */
export interface JobUseCaseDeps {
  jobStore: JobStore;
  deviceResultStore: DeviceResultStore;
  idempotencyStore: IdempotencyStore;
  hub: HubJobGateway;
  hubSlots: HubSlotStore;
  queue: WorkQueue;
  clock: Clock;
  logger: Logger;
  admission: AdmissionOptions;
  /** Source of randomness for jitter; injectable so tests can pin it. */
  random?: () => number;
  /** Source of server-chosen job ids; injectable for tests. */
  newJobId?: () => string;
  /**
   * Told of each page of a job's device results once it is stored (a rollout merges its chunks'
   * results this way). A failure fails the page as a store failure would: it is read again later.
   */
  resultsImported?: (job: StoredJob, results: DeviceResult[]) => Promise<void>;
}
