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
