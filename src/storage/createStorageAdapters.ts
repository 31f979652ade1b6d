import type { TableClient } from '@azure/data-tables';
import type { DeviceResultStore, HubSlotStore, JobStore } from '../jobs/ports';
import type {
  DeviceIdBlobs,
  RolloutChunkStore,
  RolloutDeviceResultStore,
  RolloutStore,
} from '../rollouts/ports';
import type { IdempotencyStore } from '../core/idempotencyStore';
import type { ScheduleStore } from '../schedules/ports';
import type { PoisonSink, WorkQueue } from '../core/workQueue';
import type { Clock } from '../core/clock';
import type { HubBudget } from '../core/hubBudget';
import { hubBudgetLimits } from '../core/hubBudgetLimits';
import { hubBudgetSizingOf, type HubBudgetSizing } from '../settings';
import { BlobClaimCheck } from './BlobClaimCheck';
import { BlobDeviceIdLists } from './BlobDeviceIdLists';
import type { StorageClients } from './createStorageClients';
import { checkStorage, type StorageHealth } from './storageHealth';
import { StorageWorkQueue } from './StorageWorkQueue';
import { TableDeviceResultStore } from './TableDeviceResultStore';
import { TableHubBudget } from './TableHubBudget';
import { TableHubSlotStore } from './TableHubSlotStore';
import { TableIdempotencyStore } from './TableIdempotencyStore';
import { TableJobStore } from './TableJobStore';
import { TableRolloutChunkStore } from './TableRolloutChunkStore';
import { TableRolloutDeviceResultStore } from './TableRolloutDeviceResultStore';
import { TableRolloutStore } from './TableRolloutStore';
import { TableScheduleStore } from './TableScheduleStore';
import { poisonQueueName, TablePoisonSink } from './TablePoisonSink';

export interface StorageNames {
  /** `TABLE_PREFIX` (letters and digits; table names are `<prefix>jobs` etc.). */
  tablePrefix: string;
  /** `JOB_REQUESTS_QUEUE`. */
  jobRequestsQueue: string;
}

export interface StorageAdapters {
  jobs: JobStore;
  deviceResults: DeviceResultStore;
  hubSlots: HubSlotStore;
  idempotency: IdempotencyStore;
  workQueue: WorkQueue;
  poison: PoisonSink;
  claimCheck: BlobClaimCheck;
  /** The blob containers hubjobs itself writes, which no producer's blob reference may name. */
  ownContainers: string[];
  /** hubjobs' share of the hub's quotas, shared by every instance (docs/hub-budget.md). */
  hubBudget: HubBudget;
  /** Rollouts, their planned chunks and their device-id lists (docs/storage.md). */
  rollouts: RolloutStore;
  rolloutChunks: RolloutChunkStore;
  /** One row per device per rollout, its latest attempt. */
  rolloutDeviceResults: RolloutDeviceResultStore;
  deviceIdBlobs: DeviceIdBlobs;
  /** Maintenance window schedules, with their recent runs (docs/schedules.md). */
  schedules: ScheduleStore;
  checkHealth(options?: { timeoutMs?: number }): Promise<StorageHealth>;
}

/** Suffixes (after `TABLE_PREFIX`) of the tables `TableJobStore` spans. */
export const jobTables = { jobs: 'jobs', markers: 'jobsactive' } as const;

/** Suffixes of the rollout tables: `TableRolloutStore`'s two, the plan's chunks, the merged devices. */
export const rolloutTables = {
  rollouts: 'rollouts',
  markers: 'rolloutsactive',
  chunks: 'rolloutchunks',
  devices: 'rolloutdevices',
} as const;

/** Suffix of the schedules table. */
export const schedulesTable = 'schedules';

/** Suffix (after the lower-cased `TABLE_PREFIX` and `-`) of hubjobs' own device-id container. */
export const rolloutContainerSuffix = 'rollouts';

/** Suffix of the table holding the hub budget's rows. */
export const hubBudgetTable = 'hubbudget';

/** Every storage port wired to its table, queue or container (for the composition root). */
export function createStorageAdapters(
  clients: StorageClients,
  names: StorageNames,
  options: {
    clock?: Clock;
    createGraceSeconds?: number;
    /** The settings sizing the hub budget; unset, their defaults (S1, one unit). */
    hubBudget?: HubBudgetSizing;
  } = {},
): StorageAdapters {
  const { clock, createGraceSeconds } = options;
  const table = (suffix: string) => () => clients.table(`${names.tablePrefix}${suffix}`);
  const queue = (name: string) => () => clients.queue(name);
  const containerPrefix = names.tablePrefix.toLowerCase();
  return {
    jobs: new TableJobStore(
      { jobs: table(jobTables.jobs), markers: table(jobTables.markers) },
      {
        ...(clock === undefined ? {} : { clock }),
        ...(createGraceSeconds === undefined ? {} : { createGraceMs: createGraceSeconds * 1000 }),
      },
    ),
    deviceResults: new TableDeviceResultStore(table('deviceresults')),
    hubSlots: new TableHubSlotStore(table('hubslots'), clock),
    idempotency: new TableIdempotencyStore(table('idempotency'), clock),
    workQueue: new StorageWorkQueue(queue(names.jobRequestsQueue)),
    poison: new TablePoisonSink({
      queueName: names.jobRequestsQueue,
      poisonQueue: queue(poisonQueueName(names.jobRequestsQueue)),
      poisonTable: table('poison'),
      ...(clock === undefined ? {} : { clock }),
    }),
    claimCheck: new BlobClaimCheck(() => clients.container(`${containerPrefix}-claims`)),
    ownContainers: [`${containerPrefix}-claims`, `${containerPrefix}-${rolloutContainerSuffix}`],
    hubBudget: sharedHubBudget(table(hubBudgetTable), options.hubBudget, clock),
    rollouts: new TableRolloutStore(
      { rollouts: table(rolloutTables.rollouts), markers: table(rolloutTables.markers) },
      {
        ...(clock === undefined ? {} : { clock }),
        ...(createGraceSeconds === undefined ? {} : { createGraceMs: createGraceSeconds * 1000 }),
      },
    ),
    rolloutChunks: new TableRolloutChunkStore(table(rolloutTables.chunks)),
    rolloutDeviceResults: new TableRolloutDeviceResultStore(table(rolloutTables.devices)),
    deviceIdBlobs: new BlobDeviceIdLists({
      own: () => clients.container(`${containerPrefix}-${rolloutContainerSuffix}`),
      producer: (name) => clients.containerClient(name),
    }),
    schedules: new TableScheduleStore(table(schedulesTable)),
    checkHealth: (options) =>
      checkStorage(
        clients,
        {
          tables: [
            `${names.tablePrefix}${jobTables.jobs}`,
            `${names.tablePrefix}${jobTables.markers}`,
            `${names.tablePrefix}${rolloutTables.rollouts}`,
          ],
          queues: [names.jobRequestsQueue],
        },
        options,
      ),
  };
}

/** The budget every instance shares, sized and paced by the settings (docs/hub-budget.md). */
function sharedHubBudget(
  table: () => Promise<TableClient>,
  sizing: HubBudgetSizing = hubBudgetSizingOf({}),
  clock: Clock | undefined,
): TableHubBudget {
  return new TableHubBudget(table, {
    limits: hubBudgetLimits(sizing).perMinute,
    windowMs: sizing.hubBudgetWindowSeconds * 1000,
    claimSize: sizing.hubBudgetClaimSize,
    retryMs: sizing.hubBudgetRetryMs,
    ...(clock === undefined ? {} : { clock }),
  });
}
