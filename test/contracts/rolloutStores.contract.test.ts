import { describe } from 'node:test';
import { TableRolloutStore } from '../../src/storage/TableRolloutStore';
import { uniquePrefix, useAzuriteStorage } from '../storage/storageFixtures';
import { describeRolloutStoreContract } from './rolloutStoreContract';

describe('the rollout store on Azurite', () => {
  const clients = useAzuriteStorage();
  describeRolloutStoreContract('TableRolloutStore', async () => {
    const prefix = uniquePrefix();
    const rollouts = await clients().table(`${prefix}rollouts`);
    const markers = await clients().table(`${prefix}rolloutsactive`);
    return new TableRolloutStore({
      rollouts: () => Promise.resolve(rollouts),
      markers: () => Promise.resolve(markers),
    });
  });
});
