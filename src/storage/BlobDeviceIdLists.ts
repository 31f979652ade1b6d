import type { BlobClient, ContainerClient } from '@azure/storage-blob';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { DeviceIdBlobs, TargetBlobProblem } from '../rollouts/ports';
import { storageErrorStatus } from './storageErrors';

export interface DeviceIdBlobContainers {
  /** hubjobs' own rollout container, created on first use. */
  own: () => Promise<ContainerClient>;
  /** A producer's container, by name; never created. */
  producer: (name: string) => ContainerClient;
}

/** Storage's container-name rule: 3–63 of `a-z 0-9 -`, starting and ending alphanumeric, no `--`. */
const containerNamePattern = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const maxBlobNameChars = 1024;
const newline = 0x0a;

/**
 * Device-id lists in blobs (docs/storage.md): hubjobs' own copy of a rollout's ids, one per line
 * under `<rolloutId>/device-ids.txt`, and producers' blobs, read only. Errors name blobs, never
 * their content.
 */
export class BlobDeviceIdLists implements DeviceIdBlobs {
  constructor(private readonly containers: DeviceIdBlobContainers) {}

  async writeOwn(
    rolloutId: string,
    deviceIds: readonly string[],
    options: StorageCallOptions = {},
  ): Promise<string> {
    const blobName = `${rolloutId}/device-ids.txt`;
    const body = linesBuffer(deviceIds);
    const container = await this.containers.own();
    await container.getBlockBlobClient(blobName).uploadData(body, {
      abortSignal: options.abortSignal,
      blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' },
    });
    return blobName;
  }

  async readOwn(blobName: string, options: StorageCallOptions = {}): Promise<string[]> {
    const container = await this.containers.own();
    let buffer: Buffer;
    try {
      buffer = await container.getBlobClient(blobName).downloadToBuffer(0, undefined, options);
    } catch (error) {
      if (storageErrorStatus(error) === 404) {
        throw new Error(`The rollout's device-id list ${blobName} is missing.`, { cause: error });
      }
      throw error;
    }
    const lines = buffer.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  }

  async readProducer(
    reference: string,
    maxBytes: number,
    options: StorageCallOptions = {},
  ): Promise<{ text: string } | { problem: TargetBlobProblem }> {
    const parsed = parseReference(reference);
    if (parsed === undefined) return { problem: { kind: 'notFound', blob: reference } };
    const blob = this.containers.producer(parsed.container).getBlobClient(parsed.blobName);
    try {
      return await readWithin(blob, reference, maxBytes, options);
    } catch (error) {
      const problem = problemOf(error, reference);
      if (problem === undefined) throw error;
      return { problem };
    }
  }
}

/** The properties first, so a blob over `maxBytes` is refused without downloading a byte of it. */
async function readWithin(
  blob: BlobClient,
  reference: string,
  maxBytes: number,
  options: StorageCallOptions,
): Promise<{ text: string } | { problem: TargetBlobProblem }> {
  const properties = await blob.getProperties({ abortSignal: options.abortSignal });
  const bytes = properties.contentLength ?? 0;
  if (bytes > maxBytes) return { problem: { kind: 'tooLarge', blob: reference, bytes, maxBytes } };
  // Only the version measured: a blob replaced meanwhile answers 412, thrown, so it is read again.
  const buffer = await blob.downloadToBuffer(0, undefined, {
    abortSignal: options.abortSignal,
    ...(properties.etag === undefined ? {} : { conditions: { ifMatch: properties.etag } }),
  });
  return { text: buffer.toString('utf8') };
}

/** A refusal for good; undefined for anything worth retrying (5xx, timeouts, a blob replaced). */
function problemOf(error: unknown, blob: string): TargetBlobProblem | undefined {
  const status = storageErrorStatus(error);
  if (status === 404) return { kind: 'notFound', blob };
  if (status === 403) return { kind: 'forbidden', blob };
  return undefined;
}

function parseReference(reference: string): { container: string; blobName: string } | undefined {
  const slash = reference.indexOf('/');
  if (slash < 0) return undefined;
  const container = reference.slice(0, slash);
  const blobName = reference.slice(slash + 1);
  if (!containerNamePattern.test(container)) return undefined;
  if (blobName === '' || blobName.length > maxBlobNameChars) return undefined;
  return { container, blobName };
}

/** One id per line in one buffer, sized first: a million ids cost no joined string. */
function linesBuffer(deviceIds: readonly string[]): Buffer {
  let bytes = 0;
  for (const id of deviceIds) {
    if (id.includes('\n') || id.includes('\r')) throw new Error('A device id holds a line break.');
    bytes += Buffer.byteLength(id, 'utf8') + 1;
  }
  const buffer = Buffer.allocUnsafe(bytes);
  let offset = 0;
  for (const id of deviceIds) {
    offset += buffer.write(id, offset, 'utf8');
    buffer[offset++] = newline;
  }
  return buffer;
}
