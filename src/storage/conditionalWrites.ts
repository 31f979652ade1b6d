import type { TableClient, TableEntity } from '@azure/data-tables';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { classifyStorageError } from './storageErrors';

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

/**
 * Inserts `entity` when `etag` is undefined (the row was absent when read), else replaces the row
 * if it still carries `etag`; false when another writer came first.
 */
export async function writeIfUnchanged(
  client: TableClient,
  entity: TableEntity,
  etag: string | undefined,
  options: StorageCallOptions,
): Promise<boolean> {
  try {
    if (etag === undefined) await client.createEntity(entity, options);
    else await client.updateEntity(entity, 'Replace', { ...options, etag });
    return true;
  } catch (error) {
    const kind = classifyStorageError(error);
    if (kind === 'conflict' || kind === 'preconditionFailed' || kind === 'notFound') return false;
    throw error;
  }
}
