import { randomUUID } from 'node:crypto';
import { emptyStatistics, type Job } from '../../src/jobs/job';

/** A table prefix no other test uses (table names: letters and digits only). */
export function uniquePrefix(): string {
  return `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** A valid job as the create use case would store it. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  const createdAt = overrides.createdAt ?? new Date().toISOString();
  return {
    jobId: randomUUID(),
    spec: {
      type: 'scheduleDeviceMethod',
      queryCondition: "deviceId IN ['d1','d2']",
      cloudToDeviceMethod: { methodName: 'reboot', payload: { delay: 1 } },
      maxExecutionTimeInSeconds: 600,
    },
    requestHash: 'hash-1',
    status: 'accepted',
    statistics: { ...emptyStatistics },
    createdAt,
    updatedAt: createdAt,
    submitAttempts: 0,
    cancelRequested: false,
    ...overrides,
  };
}

/** createdAt values one second apart, oldest first, starting at a fixed instant. */
export function createdAtSeconds(count: number, startIso = '2030-01-01T00:00:00.000Z'): string[] {
  const start = Date.parse(startIso);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 1000).toISOString());
}
