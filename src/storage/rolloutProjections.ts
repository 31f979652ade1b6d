import type { TableClient } from '@azure/data-tables';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { terminalRolloutStatuses, type Rollout } from '../rollouts/rollout';
import { writeCopyForward } from './conditionalWrites';
import { rolloutActivePartition, toRolloutIndexEntity } from './rolloutEntity';
import { undefinedWhenNotFound } from './storageErrors';

/** The two tables a rollout spans: truth and index rows in `rollouts`, markers in `markers`. */
export interface RolloutTableClients {
  rollouts: TableClient;
  markers: TableClient;
}

export function isActiveRollout(rollout: Pick<Rollout, 'status'>): boolean {
  return !terminalRolloutStatuses.has(rollout.status);
}

/**
 * Brings a rollout's index row and marker in line with its truth at `version`: the index only
 * moves forward in version, and the marker records `version` (or goes, once terminal) only after
 * the index shows it. A marker written late by a slower, older update may reappear for a
 * terminal rollout; `listActive` reads the truth and removes it again.
 */
export async function projectRollout(
  clients: RolloutTableClients,
  rollout: Rollout,
  version: number,
  options: StorageCallOptions & { fresh?: boolean; markerLagging?: boolean } = {},
): Promise<void> {
  const call = { abortSignal: options.abortSignal };
  await writeIndexForward(clients.rollouts, rollout, version, options.fresh === true, call);
  if (isActiveRollout(rollout)) {
    if (options.markerLagging === true) return;
    await clients.markers.upsertEntity(
      {
        partitionKey: rolloutActivePartition,
        rowKey: rollout.rolloutId,
        projectedVersion: version,
      },
      'Replace',
      call,
    );
  } else {
    await undefinedWhenNotFound(() =>
      clients.markers.deleteEntity(rolloutActivePartition, rollout.rolloutId, call),
    );
  }
}

/**
 * A marker for a rollout about to be created; `listActive` then follows it and records its
 * version. A merge, so it also renews the ETag of a marker a stopped create left: `listActive`
 * drops such a marker only under the ETag it read, never while a create runs again.
 */
export async function ensureRolloutMarker(
  markers: TableClient,
  rolloutId: string,
  options: StorageCallOptions,
): Promise<void> {
  await markers.upsertEntity(
    { partitionKey: rolloutActivePartition, rowKey: rolloutId },
    'Merge',
    options,
  );
}

/** Writes the index row unless one as new is there: a slow older write never lands on a newer one. */
async function writeIndexForward(
  client: TableClient,
  rollout: Rollout,
  version: number,
  fresh: boolean,
  options: StorageCallOptions,
): Promise<void> {
  await writeCopyForward<{ version?: number }>(
    client,
    toRolloutIndexEntity(rollout, version),
    { select: ['version'], isCurrent: (existing) => (existing.version ?? 0) >= version },
    fresh,
    options,
  );
}
