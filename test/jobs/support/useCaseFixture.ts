import type { JobSpec } from '../../../src/jobs/job';
import type { JobUseCaseDeps } from '../../../src/jobs/jobUseCaseDeps';
import type { Logger } from '../../../src/core/logger';
import { FakeHub } from './fakeHub';
import { InMemoryJobStore } from './inMemoryJobStore';
import { InMemorySlotStore } from './inMemorySlotStore';
import {
  InMemoryDeviceResultStore,
  InMemoryIdempotencyStore,
  ManualClock,
  RecordingQueue,
} from './inMemoryStores';

export interface UseCaseFixture {
  deps: JobUseCaseDeps;
  jobStore: InMemoryJobStore;
  deviceResultStore: InMemoryDeviceResultStore;
  idempotencyStore: InMemoryIdempotencyStore;
  hub: FakeHub;
  hubSlots: InMemorySlotStore;
  queue: RecordingQueue;
  clock: ManualClock;
  logs: { level: string; message: string; properties?: Record<string, unknown> }[];
}

/** Use-case dependencies wired to in-memory fakes, with admission timings as tests like them. */
export function useCaseFixture(maxActiveJobs = 1): UseCaseFixture {
  const clock = new ManualClock();
  const jobStore = new InMemoryJobStore({ clock });
  const deviceResultStore = new InMemoryDeviceResultStore();
  const idempotencyStore = new InMemoryIdempotencyStore(clock);
  const hub = new FakeHub(maxActiveJobs);
  const hubSlots = new InMemorySlotStore(clock);
  const queue = new RecordingQueue();
  const logs: UseCaseFixture['logs'] = [];
  const logger: Logger = {
    info: (message, properties) => logs.push({ level: 'info', message, properties }),
    warn: (message, properties) => logs.push({ level: 'warn', message, properties }),
    error: (message, properties) => logs.push({ level: 'error', message, properties }),
  };
  let nextId = 0;
  const deps: JobUseCaseDeps = {
    jobStore,
    deviceResultStore,
    idempotencyStore,
    hub,
    hubSlots,
    queue,
    clock,
    logger,
    admission: {
      submitLeadSeconds: 120,
      submitRetryBaseSeconds: 5,
      submitRetryMaxSeconds: 300,
      maxQueueDelaySeconds: 7 * 24 * 3600 - 3600,
      maxActiveJobs,
      slotClaimGraceSeconds: 3600,
    },
    random: () => 0,
    newJobId: () => `job-${++nextId}`,
  };
  return {
    deps,
    jobStore,
    deviceResultStore,
    idempotencyStore,
    hub,
    hubSlots,
    queue,
    clock,
    logs,
  };
}

export function methodJobSpec(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    type: 'scheduleDeviceMethod',
    queryCondition: "deviceId IN ['d1','d2']",
    cloudToDeviceMethod: {
      methodName: 'reboot',
      payload: { delay: 1 },
      responseTimeoutInSeconds: 30,
    },
    maxExecutionTimeInSeconds: 600,
    ...overrides,
  };
}
