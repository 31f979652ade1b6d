import type { PollOptions } from '../../../src/jobs/pollActiveJobs';
import type { RolloutDeps } from '../../../src/rollouts/rolloutDeps';
import { recordRolloutDeviceResults } from '../../../src/rollouts/recordRolloutDeviceResults';
import { useCaseFixture, type UseCaseFixture } from '../../jobs/support/useCaseFixture';
import {
  FakeDeviceQuery,
  InMemoryChunkStore,
  InMemoryDeviceIdBlobs,
  InMemoryRolloutDeviceResults,
  InMemoryRolloutStore,
} from './inMemoryRolloutStores';

export interface RolloutFixture extends UseCaseFixture {
  deps: RolloutDeps;
  rollouts: InMemoryRolloutStore;
  chunks: InMemoryChunkStore;
  blobs: InMemoryDeviceIdBlobs;
  rolloutDevices: InMemoryRolloutDeviceResults;
  fleet: FakeDeviceQuery;
  sleeps: number[];
}

/** The jobs' in-memory fixture plus the rollouts' own stores; the hub runs 10 devices a second. */
export function rolloutFixture(
  options: { maxActiveJobs?: number; fleet?: readonly string[] } = {},
): RolloutFixture {
  const base = useCaseFixture(options.maxActiveJobs ?? 1);
  const rollouts = new InMemoryRolloutStore();
  const chunks = new InMemoryChunkStore();
  const blobs = new InMemoryDeviceIdBlobs();
  const rolloutDevices = new InMemoryRolloutDeviceResults();
  const fleet = new FakeDeviceQuery(options.fleet ?? []);
  const sleeps: number[] = [];
  const deps: RolloutDeps = {
    ...base.deps,
    rollouts,
    rolloutChunks: chunks,
    rolloutDeviceResults: rolloutDevices,
    resultsImported: recordRolloutDeviceResults(rolloutDevices, rollouts),
    deviceIdBlobs: blobs,
    fleet,
    rolloutOptions: {
      deviceOperationsPerSecond: 10,
      queriesPerMinute: 16,
      maxTargetBlobBytes: 1_000_000,
      resolvePagesPerStep: 1,
      resolveQueryShare: 0.25,
      chunkEndWaitMs: 0,
      chunkEndCheckMs: 100,
      continuationLeadSeconds: 3,
      verifyIntervalSeconds: 5,
    },
    sleep: (ms) => {
      sleeps.push(ms);
      base.clock.advanceSeconds(ms / 1000);
      return Promise.resolve();
    },
  };
  return { ...base, deps, rollouts, chunks, blobs, rolloutDevices, fleet, sleeps };
}

export function deviceIds(count: number, prefix = 'meter-'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(5, '0')}`);
}

/** A poll tick's options for the fixture: queries to spare, so an import is never held back. */
export const pollOptions: PollOptions = {
  queriesPerMinute: 600,
  importQueryShare: 0.5,
  pollIntervalSeconds: 30,
  stalledAfterSeconds: 600,
};
