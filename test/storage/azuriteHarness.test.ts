import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { startAzurite } from '../support/azurite';
import { isRunning } from '../support/processes';

describe('startAzurite', () => {
  it('serves tables on its own 127.0.0.1 ports and leaves no process after stop()', async () => {
    const azurite = await startAzurite();
    try {
      assert.match(
        azurite.connectionString,
        new RegExp(`TableEndpoint=http://127\\.0\\.0\\.1:${azurite.tablePort}/devstoreaccount1;`),
      );
      assert.equal(new Set([azurite.blobPort, azurite.queuePort, azurite.tablePort]).size, 3);
      const table = TableClient.fromConnectionString(azurite.connectionString, 'harness', {
        allowInsecureConnection: true,
      });
      await table.createTable();
      await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 1 });
      assert.equal((await table.getEntity('p', 'r')).value, 1);
    } finally {
      await azurite.stop();
    }
    assert.equal(isRunning(azurite.pid), false);
  });

  it('keeps data across restarts when given a location', async () => {
    const location = await mkdtemp(path.join(tmpdir(), 'hubjobs-azurite-'));
    try {
      const first = await startAzurite({ location });
      const write = TableClient.fromConnectionString(first.connectionString, 'kept', {
        allowInsecureConnection: true,
      });
      await write.createTable();
      await write.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 'persisted' });
      await first.stop();

      const second = await startAzurite({ location });
      try {
        const read = TableClient.fromConnectionString(second.connectionString, 'kept', {
          allowInsecureConnection: true,
        });
        assert.equal((await read.getEntity('p', 'r')).value, 'persisted');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(location, { recursive: true, force: true });
    }
  });

  it('fails with the server output when a port is taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const takenPort = (squatter.address() as AddressInfo).port;
    try {
      await assert.rejects(startAzurite({ tablePort: takenPort }), (error: Error) => {
        assert.match(error.message, /^Azurite did not start: process exited/);
        assert.match(error.message, /Output tail:\n.+/);
        return true;
      });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
