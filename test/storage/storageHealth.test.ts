import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createStorageClients } from '../../src/storage/createStorageClients';
import { checkStorage } from '../../src/storage/storageHealth';
import { devAccountKey } from '../support/azurite';
import { uniquePrefix, useAzurite } from './storageFixtures';

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const azurite = useAzurite();

describe('checkStorage', () => {
  it('reports healthy when the account answers, whether or not the table and queue exist yet', async () => {
    const clients = createStorageClients({
      kind: 'connectionString',
      connectionString: azurite().connectionString,
    });
    const prefix = uniquePrefix();
    const health = await checkStorage(clients, {
      tables: [`${prefix}jobs`],
      queues: [`${prefix}-q`],
    });
    assert.deepEqual(health, { ok: true, problems: [] });
  });

  it('names each unreachable table and queue, within the timeout, without secrets', async () => {
    const port = await closedPort();
    const clients = createStorageClients({
      kind: 'connectionString',
      connectionString: azurite().connectionString.replace(
        /127\.0\.0\.1:\d+/g,
        `127.0.0.1:${port}`,
      ),
    });

    const health = await checkStorage(
      clients,
      { tables: ['deadjobs'], queues: ['dead-q'] },
      { timeoutMs: 1500 },
    );

    assert.equal(health.ok, false);
    assert.equal(health.problems.length, 2);
    assert.match(health.problems[0] ?? '', /^table deadjobs: /);
    assert.match(health.problems[1] ?? '', /^queue dead-q: /);
    for (const problem of health.problems) {
      assert.ok(!problem.includes(devAccountKey) && !problem.includes('sig='), problem);
    }
  });
});

describe('createStorageClients', () => {
  it('creates each table once and hands every caller the same client', async () => {
    const clients = createStorageClients({
      kind: 'connectionString',
      connectionString: azurite().connectionString,
    });
    const name = `${uniquePrefix()}once`;
    const [first, second] = await Promise.all([clients.table(name), clients.table(name)]);
    assert.equal(first, second);
    await first.upsertEntity({ partitionKey: 'p', rowKey: 'r' });
    assert.equal((await clients.queue(`${uniquePrefix()}-q`)).name.endsWith('-q'), true);
  });

  it('refuses a blob container when identity settings give no blob endpoint, naming the setting', async () => {
    const clients = createStorageClients({
      kind: 'identity',
      tableServiceUri: 'https://account.table.core.windows.net',
      queueServiceUri: 'https://account.queue.core.windows.net',
    });
    await assert.rejects(clients.container('claims'), /AzureWebJobsStorage__blobServiceUri/);
  });
});
