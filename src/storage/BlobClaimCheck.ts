import type { ContainerClient } from '@azure/storage-blob';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { undefinedWhenNotFound } from './storageErrors';

/** Large payloads by reference: JSON in a blob, the queue message carries only the name. */
export class BlobClaimCheck {
  constructor(private readonly container: () => Promise<ContainerClient>) {}

  async put(name: string, value: unknown, options: StorageCallOptions = {}): Promise<void> {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    const client = await this.container();
    await client.getBlockBlobClient(name).uploadData(body, {
      abortSignal: options.abortSignal,
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  /** The stored value, or undefined when no blob has that name. */
  async get(name: string, options: StorageCallOptions = {}): Promise<unknown> {
    const client = await this.container();
    const buffer = await undefinedWhenNotFound(() =>
      client.getBlockBlobClient(name).downloadToBuffer(0, undefined, options),
    );
    return buffer === undefined ? undefined : (JSON.parse(buffer.toString('utf8')) as unknown);
  }

  async delete(name: string, options: StorageCallOptions = {}): Promise<void> {
    const client = await this.container();
    await client.getBlockBlobClient(name).deleteIfExists(options);
  }
}
