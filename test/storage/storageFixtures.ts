import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import type { Job, JobSpec, StoredJob } from '../../src/jobs/job';
import type { JobStore } from '../../src/jobs/ports';
import { newAcceptedJob } from '../../src/jobs/jobLifecycle';
import { createStorageClients, type StorageClients } from '../../src/storage/createStorageClients';
import { startAzurite, type RunningAzurite } from '../support/azurite';

/** A table prefix no other test uses (table names: letters and digits only). */
export function uniquePrefix(): string {
  return `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** A valid job as the create use case would store it. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  const createdAt = overrides.createdAt ?? new Date().toISOString();
  const spec: JobSpec = {
    type: 'scheduleDeviceMethod',
    queryCondition: "deviceId IN ['d1','d2']",
    cloudToDeviceMethod: { methodName: 'reboot', payload: { delay: 1 } },
    maxExecutionTimeInSeconds: 600,
  };
  return { ...newAcceptedJob(randomUUID(), spec, 'hash-1', createdAt), ...overrides };
}

/** createdAt values one second apart, oldest first, starting at a fixed instant. */
export function createdAtSeconds(count: number, startIso = '2030-01-01T00:00:00.000Z'): string[] {
  const start = Date.parse(startIso);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 1000).toISOString());
}

/**
 * Starts Azurite before the enclosing suite's tests and stops it after them. Call it inside a
 * `describe` (or at the top of a file); the getter holds the running server once `before` has run.
 */
export function useAzurite(): () => RunningAzurite {
  let azurite: RunningAzurite | undefined;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  return () => {
    if (azurite === undefined) throw new Error('Azurite is not running: call this inside a test');
    return azurite;
  };
}

/** Like `useAzurite`, but hands back storage clients over that Azurite. */
export function useAzuriteStorage(): () => StorageClients {
  const azurite = useAzurite();
  let clients: StorageClients | undefined;
  before(() => {
    clients = createStorageClients({
      kind: 'connectionString',
      connectionString: azurite().connectionString,
    });
  });
  return () => {
    if (clients === undefined) throw new Error('Storage clients exist only inside a test');
    return clients;
  };
}

/** Stores `job` listed, as a create whose admission wrote nothing leaves it. */
export async function storeJob(store: JobStore, job: Job): Promise<StoredJob> {
  return store.completeCreate(await store.createPending(job));
}
