import { randomUUID } from 'node:crypto';
import { emptyStatistics } from '../../src/jobs/job';
import { chunkJobId, type Rollout, type WaveState } from '../../src/rollouts/rollout';

/** A fresh rollout id (`^[A-Za-z0-9-]{1,40}$`). */
export function newRolloutId(): string {
  return `r-${randomUUID().slice(0, 18)}`;
}

/** A valid accepted rollout, as the create use case would store it. */
export function makeRollout(overrides: Partial<Rollout> = {}): Rollout {
  const createdAt = overrides.createdAt ?? new Date().toISOString();
  return {
    rolloutId: newRolloutId(),
    spec: {
      operation: {
        type: 'scheduleDeviceMethod',
        cloudToDeviceMethod: { methodName: 'reboot', payload: { delay: 1 } },
      },
      targets: { kind: 'deviceIds', blobName: 'r-1/device-ids.txt', deviceCount: 3 },
      maxExecutionTimeInSeconds: 600,
    },
    requestHash: 'hash-1',
    status: 'accepted',
    statistics: { ...emptyStatistics },
    plan: { state: 'pending' },
    waves: [],
    cancelRequested: false,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/** One wave of `chunks` chunk jobs, every id created: a large row. */
export function waveWithChunks(rolloutId: string, index: number, chunks: number): WaveState {
  return {
    index,
    status: 'running',
    deviceCount: chunks * 130,
    chunkCount: chunks,
    jobIds: Array.from({ length: chunks }, (_, chunk) => chunkJobId(rolloutId, index, chunk + 1)),
    statistics: { ...emptyStatistics, deviceCount: chunks * 130 },
  };
}
