import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createScheduledJobs } from './activeJobs';
import { composeBenchServices, type BenchServices } from './benchServices';
import { startBenchStack, type BenchStack } from './benchStack';
import { seedAzuriteFolder } from './seededAzurite';
import { activeMarkerRows, jobTableRows } from './seedJobs';
import { note } from './stats';
import type { StartHubEmulatorOptions } from '../../dev/hub-emulator/server';
import type { Job, StoredJob } from '../../src/jobs/job';
import { activePartition, isActiveJob } from '../../src/storage/jobEntity';
import { jobTables } from '../../src/storage/createStorageAdapters';
import { undefinedWhenNotFound } from '../../src/storage/storageErrors';

/**
 * Two job tables in one Azurite, holding the same jobs that are active at the hub: `empty` has
 * nothing else, `full` also holds `history`. Benchmarks compare the two side by side.
 */
export interface HistoryStack {
  stack: BenchStack;
  empty: BenchServices;
  full: BenchServices;
  close(): Promise<void>;
}

export interface HistoryStackOptions {
  hub: StartHubEmulatorOptions;
  /** Jobs stored in `full` only (written into Azurite's files before it starts). */
  history: () => Job[];
  /** Jobs created through the real create path (so the hub has them), then copied into `full`. */
  activeJobs: number;
}

export async function startHistoryStack(options: HistoryStackOptions): Promise<HistoryStack> {
  const folder = await mkdtemp(path.join(tmpdir(), 'hubjobs-bench-azurite-'));
  const fullPrefix = `h${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const started = Date.now();
  const history = options.history();
  await seedAzuriteFolder(folder, [
    { table: `${fullPrefix}${jobTables.jobs}`, entities: history.flatMap(jobTableRows) },
    { table: `${fullPrefix}${jobTables.markers}`, entities: history.flatMap(activeMarkerRows) },
  ]);
  const stack = await startBenchStack(options.hub, { location: folder, readyTimeoutMs: 180_000 });
  const close = async (): Promise<void> => {
    await stack.close();
    await rm(folder, { recursive: true, force: true });
  };
  try {
    note(`stored ${history.length} jobs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const env = { SUBMIT_LEAD_SECONDS: '7200' };
    const empty = composeBenchServices(stack.appEnv(env));
    const full = composeBenchServices(stack.appEnv({ ...env, TABLE_PREFIX: fullPrefix }));
    await expectStored(full, history);
    const active = await createScheduledJobs(empty.deps, options.activeJobs);
    for (const job of active) {
      await full.deps.jobStore.completeCreate(
        await full.deps.jobStore.createPending(withoutRevision(job)),
      );
    }
    return { stack, empty, full, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Reads a seeded job back through the app's own store, and a seeded active marker from its table:
 * proof that Azurite took the rows.
 */
async function expectStored(bench: BenchServices, history: readonly Job[]): Promise<void> {
  const [job] = history;
  if (job === undefined) return;
  const stored = await bench.deps.jobStore.get(job.jobId);
  const listed = await bench.deps.jobStore.list({}, { pageSize: 1 });
  const markerLoaded = await seededMarkerLoaded(bench, history.find(isActiveJob));
  if (stored?.status !== job.status || listed.items.length !== 1 || !markerLoaded) {
    throw new Error('Azurite did not load the seeded jobs; its storage layout may have changed');
  }
}

async function seededMarkerLoaded(bench: BenchServices, job: Job | undefined): Promise<boolean> {
  if (job === undefined) return true;
  const markers = await bench.storageClients.table(
    `${bench.settings.tablePrefix}${jobTables.markers}`,
  );
  const marker = await undefinedWhenNotFound(() => markers.getEntity(activePartition, job.jobId));
  return marker !== undefined;
}

function withoutRevision(job: StoredJob): Job {
  const { revision: _revision, ...plain } = job;
  return plain;
}
