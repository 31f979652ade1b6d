import type { JobUseCaseDeps } from '../jobs/jobUseCaseDeps';
import type {
  DeviceIdBlobs,
  HubDeviceQuery,
  RolloutChunkStore,
  RolloutDeviceResultStore,
  RolloutStore,
} from './ports';

/** How rollouts run; read from settings by the composition root. */
export interface RolloutOptions {
  /** The hub's job device operations a second for this tier and units (pacing, ETAs). */
  deviceOperationsPerSecond: number;
  /** hubjobs' query budget a minute, which resolving a condition to ids draws on (ETAs). */
  queriesPerMinute: number;
  /** A producer's id blob is refused beyond this (64 MiB: 1,000,000 ids of up to 60 characters). */
  maxTargetBlobBytes: number;
  /** Device-id pages resolved from a condition in one step before the next is queued. */
  resolvePagesPerStep: number;
  /**
   * Share of hubjobs' query budget that resolving conditions may take: steps are spaced so their
   * pages stay within it, leaving the rest to result imports and dry runs.
   */
  resolveQueryShare: number;
  /**
   * A continuation that finds its chunk nearly done waits up to this long in process and checks
   * again, rather than a whole queue round trip later (queue delays are whole seconds).
   */
  chunkEndWaitMs: number;
  /** Pause between those in-process checks. */
  chunkEndCheckMs: number;
  /**
   * A continuation for a later chunk end is queued to arrive this much early and waits the rest in
   * process: queue delays are whole seconds and an idle queue is polled every few seconds.
   */
  continuationLeadSeconds: number;
  /** Seconds between a verified rollout's rounds of reported-property queries for a chunk. */
  verifyIntervalSeconds: number;
}

/** The ports rollout use cases use: the jobs' ports (chunks are jobs) and the rollouts' own. */
export interface RolloutDeps extends JobUseCaseDeps {
  rollouts: RolloutStore;
  rolloutChunks: RolloutChunkStore;
  /** One row per device per rollout, its latest attempt (written by the results import). */
  rolloutDeviceResults: RolloutDeviceResultStore;
  deviceIdBlobs: DeviceIdBlobs;
  fleet: HubDeviceQuery;
  rolloutOptions: RolloutOptions;
  /** In-process pause; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}
