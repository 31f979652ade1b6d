import type { ContainerClient } from '@azure/storage-blob';
import { undefinedWhenNotFound } from './storageErrors';

/** Large payloads by reference: JSON in a blob, the queue message carries only the name. */
export class BlobClaimCheck {
  constructor(private readonly container: () => Promise<ContainerClient>) {}

  async put(name: string, value: unknown): Promise<void> {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    const client = await this.container();
    await client.getBlockBlobClient(name).uploadData(body, {
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  /** The stored value, or undefined when no blob has that name. */
  async get(name: string): Promise<unknown> {
    const client = await this.container();
    const buffer = await undefinedWhenNotFound(() =>
      client.getBlockBlobClient(name).downloadToBuffer(),
    );
    return buffer === undefined ? undefined : (JSON.parse(buffer.toString('utf8')) as unknown);
  }

  async delete(name: string): Promise<void> {
    const client = await this.container();
    await client.getBlockBlobClient(name).deleteIfExists();
  }
}
