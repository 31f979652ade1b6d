import { describe } from 'node:test';
import type { QueueClient } from '@azure/storage-queue';
import type { WorkMessage } from '../../src/core/workQueue';
import { StorageWorkQueue } from '../../src/storage/StorageWorkQueue';
import { TableDeviceResultStore } from '../../src/storage/TableDeviceResultStore';
import { TableIdempotencyStore } from '../../src/storage/TableIdempotencyStore';
import { TableJobStore } from '../../src/storage/TableJobStore';
import { uniquePrefix, useAzuriteStorage } from '../storage/storageFixtures';
import { describeDeviceResultStoreContract } from './deviceResultStoreContract';
import { describeIdempotencyStoreContract } from './idempotencyStoreContract';
import { contractGraceMs, describeJobStoreContract } from './jobStoreContract';
import { describeWorkQueueContract } from './workQueueContract';

async function peekDecoded(queue: QueueClient): Promise<WorkMessage[]> {
  const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
  return peekedMessageItems.map(
    (item) => JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as WorkMessage,
  );
}

describe('the storage adapters on Azurite', () => {
  const clients = useAzuriteStorage();
  const table = async (suffix: string) => {
    const client = await clients().table(`${uniquePrefix()}${suffix}`);
    return () => Promise.resolve(client);
  };

  describeJobStoreContract('TableJobStore', async (clock) => {
    const tables = { jobs: await table('jobs'), markers: await table('jobsactive') };
    return new TableJobStore(tables, { clock, createGraceMs: contractGraceMs });
  });
  describeDeviceResultStoreContract(
    'TableDeviceResultStore',
    async () => new TableDeviceResultStore(await table('deviceresults')),
  );
  describeIdempotencyStoreContract(
    'TableIdempotencyStore',
    async (clock) => new TableIdempotencyStore(await table('idempotency'), clock),
  );
  describeWorkQueueContract('StorageWorkQueue', async () => {
    const queue = await clients().queue(`${uniquePrefix()}-requests`);
    return {
      queue: new StorageWorkQueue(() => Promise.resolve(queue)),
      visible: () => peekDecoded(queue),
      waiting: async () => (await queue.getProperties()).approximateMessagesCount ?? 0,
    };
  });
});
