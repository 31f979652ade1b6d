import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  AnonymousCredential,
  ContainerClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type BlobClient,
} from '@azure/storage-blob';
import { BlobDeviceIdLists } from '../../src/storage/BlobDeviceIdLists';
import { devAccountKey, devAccountName } from '../support/azurite';
import { uniquePrefix, useAzurite } from './storageFixtures';
import { createStorageClients, type StorageClients } from '../../src/storage/createStorageClients';

const noRetries = { retryOptions: { maxTries: 1 } };

/** A container client that records which BlobClient methods the adapter calls. */
function recording(client: ContainerClient, calls: string[]): ContainerClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'getBlobClient') return Reflect.get(target, property, receiver) as unknown;
      return (name: string) =>
        new Proxy(target.getBlobClient(name), {
          get(blob, method, blobReceiver) {
            const value = Reflect.get(blob, method, blobReceiver) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              calls.push(String(method));
              return (value as (...a: unknown[]) => unknown).apply(blob, args);
            };
          },
        }) satisfies BlobClient;
    },
  });
}

describe('BlobDeviceIdLists', () => {
  const azurite = useAzurite();
  let clients: StorageClients;
  let blobEndpoint: string;
  before(() => {
    clients = createStorageClients({
      kind: 'connectionString',
      connectionString: azurite().connectionString,
    });
    blobEndpoint = `http://127.0.0.1:${azurite().blobPort}/${devAccountName}`;
  });
  const producerContainer = async (blobs: Record<string, string>) => {
    const name = `${uniquePrefix()}-producer`;
    const container = await clients.container(name);
    for (const [blob, text] of Object.entries(blobs)) {
      await container.getBlockBlobClient(blob).uploadData(Buffer.from(text, 'utf8'));
    }
    return name;
  };
  const lists = (producer = (name: string) => clients.containerClient(name)) => {
    const own = `${uniquePrefix()}-rollouts`;
    return new BlobDeviceIdLists({ own: () => clients.container(own), producer });
  };

  it('writes its own copy one id per line and reads the same ids back', async () => {
    const store = lists();
    const ids = Array.from({ length: 50_000 }, (_, i) => `dévice-${i}-${'x'.repeat(40)}`);
    const blobName = await store.writeOwn('r-1', ids);
    assert.equal(blobName, 'r-1/device-ids.txt');
    assert.deepEqual(await store.readOwn(blobName), ids);
    assert.deepEqual(await store.readOwn(await store.writeOwn('r-2', [])), []);
    await assert.rejects(store.readOwn('r-3/device-ids.txt'), /r-3\/device-ids\.txt is missing/);
  });

  it("reads a producer's JSON or lines back as they are", async () => {
    const json = '["d1","d2"]';
    const lines = 'd1\r\nd2\n\nd3\n';
    const container = await producerContainer({ 'ids.json': json, 'in/ids.txt': lines });
    const store = lists();
    assert.deepEqual(await store.readProducer(`${container}/ids.json`, 1000), { text: json });
    assert.deepEqual(await store.readProducer(`${container}/in/ids.txt`, 1000), { text: lines });
  });

  it('answers notFound for a missing blob, a missing container or a reference naming neither', async () => {
    const container = await producerContainer({});
    const store = lists();
    for (const reference of [
      `${container}/nope.txt`,
      'no-such-container/ids.txt',
      'Bad_Name/x',
      'nocontainer',
    ]) {
      assert.deepEqual(await store.readProducer(reference, 1000), {
        problem: { kind: 'notFound', blob: reference },
      });
    }
  });

  it('refuses a blob over the limit from its properties alone, and reads one at the limit', async () => {
    const container = await producerContainer({ 'big.txt': 'd1\nd2\nd3\n' });
    const calls: string[] = [];
    const store = lists((name) => recording(clients.containerClient(name), calls));
    const reference = `${container}/big.txt`;
    assert.deepEqual(await store.readProducer(reference, 8), {
      problem: { kind: 'tooLarge', blob: reference, bytes: 9, maxBytes: 8 },
    });
    assert.deepEqual(calls, ['getProperties']);
    assert.deepEqual(await store.readProducer(reference, 9), { text: 'd1\nd2\nd3\n' });
    assert.deepEqual(calls, ['getProperties', 'getProperties', 'downloadToBuffer']);
  });

  it('answers forbidden when a SAS without read permission is all it has', async () => {
    const container = await producerContainer({ 'ids.txt': 'd1\n' });
    const credential = new StorageSharedKeyCredential(devAccountName, devAccountKey);
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        permissions: ContainerSASPermissions.parse('wl'),
        expiresOn: new Date(Date.now() + 3_600_000),
      },
      credential,
    ).toString();
    const store = lists(
      () =>
        new ContainerClient(
          `${blobEndpoint}/${container}?${sas}`,
          new AnonymousCredential(),
          noRetries,
        ),
    );
    assert.deepEqual(await store.readProducer(`${container}/ids.txt`, 1000), {
      problem: { kind: 'forbidden', blob: `${container}/ids.txt` },
    });
  });

  it('answers forbidden when the account key does not match', async () => {
    const container = await producerContainer({ 'ids.txt': 'd1\n' });
    const wrongKey = Buffer.from('not the account key').toString('base64');
    const credential = new StorageSharedKeyCredential(devAccountName, wrongKey);
    const store = lists(
      () => new ContainerClient(`${blobEndpoint}/${container}`, credential, noRetries),
    );
    assert.deepEqual(await store.readProducer(`${container}/ids.txt`, 1000), {
      problem: { kind: 'forbidden', blob: `${container}/ids.txt` },
    });
  });

  describe('against a service that fails', () => {
    let server: Server;
    let status = 503;
    before(async () => {
      server = createServer((_request, response) => {
        response.statusCode = status;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const failing = () => {
      const { port } = server.address() as AddressInfo;
      const client = (name: string) =>
        new ContainerClient(
          `http://127.0.0.1:${port}/acct/${name}`,
          new AnonymousCredential(),
          noRetries,
        );
      return lists(client);
    };

    it('throws on a 5xx, so the caller retries later', async () => {
      for (const answer of [500, 503]) {
        status = answer;
        await assert.rejects(failing().readProducer('producer/ids.txt', 1000), (error: unknown) => {
          assert.equal((error as { statusCode?: number }).statusCode, answer);
          return true;
        });
      }
    });

    it('throws when the call is given up (a timeout)', async () => {
      await assert.rejects(
        failing().readProducer('producer/ids.txt', 1000, { abortSignal: AbortSignal.abort() }),
        (error: unknown) => (error as Error).name === 'AbortError',
      );
    });
  });
});
