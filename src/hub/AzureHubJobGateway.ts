import type { JobClient, Registry } from 'azure-iothub';
import type { DeviceResult, JobSpec } from '../jobs/job';
import type { HubJobGateway, HubJobSnapshot } from '../jobs/ports';
import type { Page } from '../core/page';
import { classifyHubError } from './classifyHubError';
import { buildDeviceJobsQuery, type DeviceJobsFilter } from './deviceJobsQuery';
import { HubCallError } from '../core/hubCallError';
import { makeRequestsAbortable } from './abortableRequests';
import { assertHubJobId } from './hubJobId';
import { scheduleHubJob } from './scheduleHubJob';
import { isJobAlreadyExists, isSameJob } from './sameHubJob';
import { toHubJobSnapshot } from './toHubJobSnapshot';
import { toDeviceResult } from './toDeviceResult';
import { definedOnly, readPage, withToken } from './readQueryPage';
import { openGate, type HubOperation, type HubRequestGate } from './hubRequestGate';
import {
  defaultHubRetryOptions,
  outcomeUnknown,
  withHubRetry,
  type HubCallPolicy,
  type HubRetryOptions,
} from './withHubRetry';

export interface HubGatewayClients {
  jobClient: JobClient;
  registry: Registry;
}

interface PageRequest {
  pageSize?: number;
  continuationToken?: string;
}

// The package root does not export it; derived here instead of a deep import.
type SdkJobStatus = Parameters<JobClient['createQuery']>[1];

/**
 * `HubJobGateway` over `azure-iothub`: classified errors, retries, explicit continuation tokens.
 * Every request it sends (first attempts, retries, the reads a create makes) first passes
 * `requestGate`, so a budget sees each one (src/hub/hubRequestGate.ts).
 */
export class AzureHubJobGateway implements HubJobGateway {
  private readonly jobClient: JobClient;
  private readonly registry: Registry;
  private readonly retryOptions: HubRetryOptions;

  constructor(
    clients: HubGatewayClients,
    retryOptions: Partial<HubRetryOptions> = {},
    private readonly requestGate: HubRequestGate = openGate,
  ) {
    this.jobClient = clients.jobClient;
    this.registry = clients.registry;
    // A timed-out call must close its socket; the SDK offers no other way to abort.
    makeRequestsAbortable(this.jobClient);
    makeRequestsAbortable(this.registry);
    this.retryOptions = { ...defaultHubRetryOptions, ...retryOptions };
  }

  /**
   * Safe to repeat because the hub job id is the job id: a create that meets 409104
   * JobAlreadyExists (our own earlier attempt whose answer was lost, or a redelivered submit)
   * adopts the hub's job when it is the same job, and is a conflict otherwise. After an attempt
   * whose outcome is unknown (no answer, or a 5xx) the job is read first, and adopted when the
   * hub has it, so no second create is sent for a job the hub already made.
   */
  async createJob(jobId: string, spec: JobSpec): Promise<HubJobSnapshot> {
    assertHubJobId(jobId);
    return await withHubRetry(
      async (_attempt, previousFailure) => {
        if (previousFailure !== undefined && outcomeUnknown(previousFailure)) {
          const existing = await this.readOwnJob(jobId, spec);
          if (existing !== undefined) return existing;
        }
        await this.requestGate('createJob');
        try {
          const jobStatus: unknown = (await scheduleHubJob(this.jobClient, jobId, spec)).jobStatus;
          return snapshotOf(jobStatus, jobId);
        } catch (error) {
          const failure = classifyHubError(error);
          if (!isJobAlreadyExists(failure)) throw failure;
          return this.adoptExistingJob(jobId, spec, failure);
        }
      },
      // Gated inside the attempt: an attempt may read before it creates.
      { safeToRepeat: true },
      this.retryOptions,
    );
  }

  async getJob(jobId: string): Promise<HubJobSnapshot> {
    assertHubJobId(jobId);
    return await withHubRetry(
      async () => snapshotOf((await this.jobClient.getJob(jobId)).jobStatus, jobId),
      this.policy('getJob'),
      this.retryOptions,
    );
  }

  /** Cancelling twice is harmless: the hub answers with the (already) cancelled job. */
  async cancelJob(jobId: string): Promise<HubJobSnapshot> {
    assertHubJobId(jobId);
    return await withHubRetry(
      async () => snapshotOf((await this.jobClient.cancelJob(jobId)).jobStatus, jobId),
      this.policy('cancelJob'),
      this.retryOptions,
    );
  }

  queryJobs(
    filter: { status?: HubJobSnapshot['status']; type?: JobSpec['type'] },
    page: PageRequest,
  ): Promise<Page<HubJobSnapshot>> {
    return withHubRetry(
      async () => {
        // The SDK's JobStatus type lacks `completed` and `failed`; the hub takes them all.
        const status = filter.status as SdkJobStatus | undefined;
        const query = this.jobClient.createQuery(filter.type, status, page.pageSize);
        const { items, continuationToken } = await readPage(query, page.continuationToken);
        return withToken(definedOnly(items.map(toHubJobSnapshot)), continuationToken);
      },
      this.policy('queryJobs'),
      this.retryOptions,
    );
  }

  async queryDeviceResults(
    jobId: string,
    filter: DeviceJobsFilter,
    page: PageRequest,
  ): Promise<Page<DeviceResult>> {
    const sql = buildDeviceJobsQuery(jobId, filter);
    return await withHubRetry(
      async () => {
        const query = this.registry.createQuery(sql, page.pageSize);
        const { items, continuationToken } = await readPage(query, page.continuationToken);
        const results = definedOnly(items.map((item) => toDeviceResult(item, jobId)));
        return withToken(results, continuationToken);
      },
      this.policy('queryDeviceResults'),
      this.retryOptions,
    );
  }

  /** One jobs-query page of one job: a jobs operation, but the cheapest call that proves access. */
  async ping(): Promise<void> {
    await withHubRetry(
      () => readPage(this.jobClient.createQuery(undefined, undefined, 1), undefined),
      this.policy('ping'),
      { ...this.retryOptions, retries: 0 },
    );
  }

  /** Every request is safe to repeat; each attempt, retries too, passes the gate first. */
  private policy(operation: HubOperation): HubCallPolicy {
    return { safeToRepeat: true, beforeAttempt: () => this.requestGate(operation) };
  }

  /** The hub's job with this id when it is the one `spec` describes; undefined on 404. */
  private async readOwnJob(jobId: string, spec: JobSpec): Promise<HubJobSnapshot | undefined> {
    let jobStatus: unknown;
    await this.requestGate('getJob');
    try {
      jobStatus = (await this.jobClient.getJob(jobId)).jobStatus;
    } catch (error) {
      const failure = classifyHubError(error);
      if (failure.kind === 'notFound') return undefined;
      throw failure;
    }
    return adoptIfSame(jobStatus, jobId, spec, {});
  }

  private async adoptExistingJob(
    jobId: string,
    spec: JobSpec,
    conflict: HubCallError,
  ): Promise<HubJobSnapshot> {
    // Without budget for the read, the next attempt (the caller's) meets 409 again and adopts.
    await this.requestGate('getJob');
    const jobStatus: unknown = (await this.jobClient.getJob(jobId)).jobStatus;
    return adoptIfSame(jobStatus, jobId, spec, conflict.details);
  }
}

/** The hub's job as ours when it is the job `spec` describes; a conflict otherwise. */
function adoptIfSame(
  jobStatus: unknown,
  jobId: string,
  spec: JobSpec,
  details: HubCallError['details'],
): HubJobSnapshot {
  const existing = snapshotOf(jobStatus, jobId);
  if (isSameJob(existing, jobStatus, spec)) return existing;
  throw new HubCallError(
    'conflict',
    `IoT Hub already has a different job with id ${jobId}.`,
    details,
  );
}

function snapshotOf(raw: unknown, jobId: string): HubJobSnapshot {
  const snapshot = toHubJobSnapshot(raw);
  if (!snapshot) {
    throw new HubCallError(
      'unknown',
      `IoT Hub answered for job ${jobId} without a known job type.`,
    );
  }
  return snapshot;
}
