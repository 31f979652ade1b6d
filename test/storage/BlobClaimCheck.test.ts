import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobClaimCheck } from '../../src/storage/BlobClaimCheck';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

describe('BlobClaimCheck', () => {
  const clients = useAzuriteStorage();

  it('stores JSON under a name and gives it back, until deleted', async () => {
    const containerName = `${uniquePrefix()}-claims`;
    const claims = new BlobClaimCheck(() => clients().container(containerName));
    const deviceIds = Array.from({ length: 20_000 }, (_, i) => `device-${i}`);
    await claims.put('rollout-1/ids.json', { deviceIds });
    assert.deepEqual(await claims.get('rollout-1/ids.json'), { deviceIds });
    await claims.delete('rollout-1/ids.json');
    await claims.delete('rollout-1/ids.json');
    assert.equal(await claims.get('rollout-1/ids.json'), undefined);
  });
});
