import { odata, type TableClient } from '@azure/data-tables';
import type { DeviceResult } from '../jobs/job';
import type { DeviceResultStore } from '../jobs/ports';
import type { Page } from '../core/page';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { fromDeviceResultEntity, toDeviceResultEntity } from './deviceResultEntity';
import { mapWithConcurrency } from './mapWithConcurrency';
import { readOnePage } from './readOnePage';
import { toTransactionBatches } from './transactionBatches';

/**
 * Device results in `<prefix>deviceresults`: PK jobId, RK encoded device id, so a job's results
 * list in device-id order. Results never change once final, so writes are idempotent upserts
 * (replace) in transactions; a redelivered import page writes the same rows again, harmlessly.
 */
export class TableDeviceResultStore implements DeviceResultStore {
  constructor(
    private readonly table: () => Promise<TableClient>,
    private readonly options: { transactionConcurrency?: number } = {},
  ) {}

  async upsert(results: DeviceResult[], options: StorageCallOptions = {}): Promise<void> {
    if (results.length === 0) return;
    const client = await this.table();
    const batches = toTransactionBatches(results.map(toDeviceResultEntity));
    await mapWithConcurrency(batches, this.options.transactionConcurrency ?? 4, async (batch) => {
      await client.submitTransaction(
        batch.map((entity) => ['upsert', entity, 'Replace']),
        options,
      );
    });
  }

  async list(
    jobId: string,
    filter: { status?: string },
    page: { pageSize: number; continuationToken?: string },
    options: StorageCallOptions = {},
  ): Promise<Page<DeviceResult>> {
    const client = await this.table();
    const conditions = [odata`PartitionKey eq ${jobId}`];
    if (filter.status !== undefined) conditions.push(odata`status eq ${filter.status}`);
    const { rows, continuationToken } = await readOnePage(
      client,
      conditions.join(' and '),
      page,
      options,
    );
    const items = rows.map(fromDeviceResultEntity);
    return continuationToken === undefined ? { items } : { items, continuationToken };
  }
}
