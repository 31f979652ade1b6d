import type { TableClient } from '@azure/data-tables';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { terminalRolloutStatuses, type Rollout } from '../rollouts/rollout';
import { insertIfAbsent } from './conditionalWrites';
import {
  rolloutActivePartition,
  rolloutIndexRowKey,
  rolloutListPartition,
  toRolloutIndexEntity,
} from './rolloutEntity';
import { classifyStorageError, undefinedWhenNotFound } from './storageErrors';

const maxIndexAttempts = 5;

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

/** Read, then write under the ETag read: a slow older write never lands on a newer one. */
async function writeIndexForward(
  client: TableClient,
  rollout: Rollout,
  version: number,
  fresh: boolean,
  options: StorageCallOptions,
): Promise<void> {
  const entity = toRolloutIndexEntity(rollout, version);
  if (fresh && (await insertIfAbsent(client, entity, options))) return;
  for (let attempt = 0; attempt < maxIndexAttempts; attempt++) {
    const existing = await undefinedWhenNotFound(() =>
      client.getEntity<{ version?: number }>(rolloutListPartition, rolloutIndexRowKey(rollout), {
        ...options,
        queryOptions: { select: ['version'] },
      }),
    );
    if (existing !== undefined && (existing.version ?? 0) >= version) return;
    try {
      if (existing === undefined) await client.createEntity(entity, options);
      else await client.updateEntity(entity, 'Replace', { ...options, etag: existing.etag });
      return;
    } catch (error) {
      const kind = classifyStorageError(error);
      if (kind !== 'conflict' && kind !== 'preconditionFailed') throw error;
    }
  }
  // Every attempt lost to a concurrent writer, which by then has written a newer version.
}
