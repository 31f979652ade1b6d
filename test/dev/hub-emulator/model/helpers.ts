import { HubModel, type JobJson } from '../../../../dev/hub-emulator/model/index';
import type { HubEmulatorOptions } from '../../../../dev/hub-emulator/options';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public time = Date.parse('2030-01-01T00:00:00Z')) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Polls until `condition` holds; fails after `timeoutMs` (bounded, never open-ended). */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = Number(process.env.MODEL_TEST_WAIT_MS ?? 5000),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function waitForStatus(
  model: HubModel,
  jobId: string,
  status: string,
): Promise<JobJson> {
  await waitFor(() => model.jobs.get(jobId).status === status, `job ${jobId} to be ${status}`);
  return model.jobs.get(jobId);
}

/** A model with pacing off and every limit lifted unless the test says otherwise. */
export function openModel(options: HubEmulatorOptions = {}, clock?: ManualClock): HubModel {
  return new HubModel(
    {
      devices: 20,
      ...options,
      limits: { maxActiveJobs: 0, deviceOperationsPerSecond: 0, ...options.limits },
    },
    clock,
  );
}

export function methodJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'scheduleDeviceMethod',
    cloudToDeviceMethod: {
      methodName: 'reboot',
      payload: { delay: 5 },
      responseTimeoutInSeconds: 30,
    },
    startTime: null,
    queryCondition: '*',
    ...overrides,
  };
}

export function twinJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'scheduleUpdateTwin',
    updateTwin: { etag: '*', tags: { building: '43' }, properties: { desired: { floor: 3 } } },
    startTime: null,
    queryCondition: '*',
    ...overrides,
  };
}

export function statisticsAddUp(job: JobJson): boolean {
  const s = job.deviceJobStatistics;
  return s.deviceCount === s.succeededCount + s.failedCount + s.runningCount + s.pendingCount;
}
