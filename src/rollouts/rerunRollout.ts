import { randomUUID } from 'node:crypto';
import { ConflictError } from '../core/errors';
import type { RolloutDeviceOutcome } from './ports';
import { chunkJobsStillImporting } from './chunkJobs';
import { createRollout } from './createRollout';
import type { StoredRollout } from './rollout';
import { allRolloutDevicesWith } from './rolloutDeviceQueries';
import { isRolloutTerminal } from './rolloutLifecycle';
import type { RolloutDeps } from './rolloutDeps';
import { RolloutNotFoundError } from './rolloutErrors';

/** The outcomes a rerun takes again: every way a device can fail. */
export const rerunOutcomes: readonly RolloutDeviceOutcome[] = [
  'failed',
  'timedOut',
  'offline',
  'notConverged',
];

/**
 * "Rerun on failed": a new rollout with the same operation, waves and threshold over the devices
 * whose latest outcome in `sourceId` failed, linked to it by `rerunOf`. The source must have ended
 * and its results must all be imported, so the list is complete.
 */
export async function rerunRollout(
  sourceId: string,
  deps: RolloutDeps,
  newRolloutId: string = randomUUID(),
): Promise<StoredRollout> {
  const source = await deps.rollouts.get(sourceId);
  if (source === undefined) throw new RolloutNotFoundError(sourceId);
  if (!isRolloutTerminal(source.status)) {
    throw new ConflictError(`Rollout ${sourceId} is ${source.status}; rerun it once it has ended.`);
  }
  await refuseWhileImporting(source, deps);
  const deviceIds = await failedDevices(sourceId, deps);
  if (deviceIds.length === 0) {
    throw new ConflictError(`Rollout ${sourceId} has no failed device to rerun.`);
  }
  const { operation, waves, failureThreshold, retry, verify, maxExecutionTimeInSeconds } =
    source.spec;
  const { rollout } = await createRollout(
    {
      request: {
        operation,
        targets: { kind: 'deviceIds', deviceIds },
        ...(waves === undefined ? {} : { waves }),
        ...(failureThreshold === undefined ? {} : { failureThreshold }),
        ...(retry === undefined ? {} : { retry }),
        ...(verify === undefined ? {} : { verify }),
        maxExecutionTimeInSeconds,
        dryRun: false,
      },
      rolloutId: newRolloutId,
      mode: 'put',
      rerunOf: sourceId,
    },
    deps,
  );
  return rollout;
}

async function refuseWhileImporting(source: StoredRollout, deps: RolloutDeps): Promise<void> {
  const jobIds = source.waves.flatMap((wave) => wave.jobIds);
  const [importing] = await chunkJobsStillImporting(jobIds, deps);
  if (importing !== undefined) {
    throw new ConflictError(
      `Rollout ${source.rolloutId}'s device results are still being imported (${importing}); rerun it once they are in.`,
    );
  }
}

async function failedDevices(rolloutId: string, deps: RolloutDeps): Promise<string[]> {
  const ids: string[] = [];
  for (const outcome of rerunOutcomes) {
    const rows = await allRolloutDevicesWith(rolloutId, outcome, deps);
    ids.push(...rows.map((row) => row.deviceId));
  }
  return ids.sort();
}
