import type { TableClient, TableEntity } from '@azure/data-tables';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { classifyStorageError, undefinedWhenNotFound } from './storageErrors';

/** Inserts `entity`; false, writing nothing, when a row with its keys exists already. */
export async function insertIfAbsent(
  client: TableClient,
  entity: TableEntity,
  options: StorageCallOptions,
): Promise<boolean> {
  try {
    await client.createEntity(entity, options);
    return true;
  } catch (error) {
    if (classifyStorageError(error) === 'conflict') return false;
    throw error;
  }
}

/** A conditional write that landed: the row's new ETag, when the service reported one. */
export interface Written {
  etag: string | undefined;
}

/**
 * Inserts `entity` when `etag` is undefined (the row was absent when read), else replaces the row
 * if it still carries `etag`; undefined when another writer came first.
 */
export async function writeIfUnchanged(
  client: TableClient,
  entity: TableEntity,
  etag: string | undefined,
  options: StorageCallOptions,
): Promise<Written | undefined> {
  try {
    const response =
      etag === undefined
        ? await client.createEntity(entity, options)
        : await client.updateEntity(entity, 'Replace', { ...options, etag });
    return { etag: response.etag };
  } catch (error) {
    const kind = classifyStorageError(error);
    if (kind === 'conflict' || kind === 'preconditionFailed' || kind === 'notFound')
      return undefined;
    throw error;
  }
}

/**
 * Writes a derived copy (a list or index row) unless the one stored is as new already, read then
 * written under the ETag read, so a slow or SDK-retried older write never lands on a newer one.
 * `fresh`: the source was just created, so its copy cannot exist yet and the insert goes alone.
 * After `maxAttempts` lost races it gives up: the writers that won have written newer copies.
 */
export async function writeCopyForward<Seen extends object>(
  client: TableClient,
  entity: TableEntity,
  read: { select: string[]; isCurrent: (existing: Seen) => boolean },
  fresh: boolean,
  options: StorageCallOptions,
  maxAttempts = 5,
): Promise<void> {
  if (fresh && (await insertIfAbsent(client, entity, options))) return;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const existing = await undefinedWhenNotFound(() =>
      client.getEntity<Seen>(entity.partitionKey, entity.rowKey, {
        ...options,
        queryOptions: { select: read.select },
      }),
    );
    if (existing !== undefined && read.isCurrent(existing)) return;
    try {
      if (existing === undefined) await client.createEntity(entity, options);
      else await client.updateEntity(entity, 'Replace', { ...options, etag: existing.etag });
      return;
    } catch (error) {
      const kind = classifyStorageError(error);
      if (kind !== 'conflict' && kind !== 'preconditionFailed') throw error;
    }
  }
}
