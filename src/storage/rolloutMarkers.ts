import type { TableEntityResult } from '@azure/data-tables';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { StoredRollout } from '../rollouts/rollout';
import { fromRolloutTruth, rolloutActivePartition, rolloutTruthRowKey } from './rolloutEntity';
import { isActiveRollout, projectRollout, type RolloutTableClients } from './rolloutProjections';
import { undefinedWhenNotFound } from './storageErrors';

/**
 * Reads the truth behind one active marker and brings index and marker in step with it: the
 * rollout when it is still active, else undefined. `pastGrace` says a marker without a truth is
 * old enough to be a create that stopped before its truth (TableRolloutStore).
 */
export async function followRolloutMarker(
  clients: RolloutTableClients,
  marker: TableEntityResult<Record<string, unknown>>,
  pastGrace: boolean,
  options: StorageCallOptions,
): Promise<StoredRollout | undefined> {
  const rolloutId = marker.rowKey ?? '';
  const entity = await undefinedWhenNotFound(() =>
    clients.rollouts.getEntity<Record<string, unknown>>(rolloutId, rolloutTruthRowKey, options),
  );
  if (entity === undefined) {
    if (pastGrace) {
      // Under the ETag read: a create run again meanwhile has renewed it (ensureRolloutMarker).
      await undefinedWhenNotFound(() =>
        clients.markers.deleteEntity(rolloutActivePartition, rolloutId, {
          ...options,
          etag: marker.etag,
        }),
      ).catch(() => undefined);
    }
    return undefined;
  }
  const { stored, listedVersion } = fromRolloutTruth(entity);
  const projected = marker.projectedVersion;
  const active = isActiveRollout(stored);
  if (!active || typeof projected !== 'number' || projected < listedVersion) {
    // Best effort: a failed repair must not hide the rollout; the next call retries.
    await projectRollout(clients, stored, listedVersion, options).catch(() => undefined);
  }
  return active ? stored : undefined;
}
