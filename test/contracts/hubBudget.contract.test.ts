import { describe } from 'node:test';
import { WindowBudget } from '../../src/core/windowBudget';
import { TableHubBudget } from '../../src/storage/TableHubBudget';
import { uniquePrefix, useAzuriteStorage } from '../storage/storageFixtures';
import { describeHubBudgetContract } from './hubBudgetContract';

describeHubBudgetContract('WindowBudget', (setup) => Promise.resolve(new WindowBudget(setup)));

describe('the hub budget on Azurite', () => {
  const clients = useAzuriteStorage();
  // Claims of one call keep the shared ledger equal to what was taken, so usage is exact here;
  // batches are covered by test/storage/TableHubBudget.test.ts.
  describeHubBudgetContract('TableHubBudget', async (setup) => {
    const table = await clients().table(`${uniquePrefix()}hubbudget`);
    return new TableHubBudget(() => Promise.resolve(table), {
      ...setup,
      claimSize: 1,
      retryMs: 10,
    });
  });
});
