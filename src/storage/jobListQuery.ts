import { odata } from '@azure/data-tables';
import { ValidationError } from '../core/errors';
import type { JobListFilter } from '../jobs/ports';
import { listPartition } from './jobEntity';
import { invertedTimeKey } from './tableKeys';

/** The OData filter over the list copies (PK `_byTime`) that `list` pages through. */
export function listFilter(filter: JobListFilter): string {
  const conditions = [odata`PartitionKey eq ${listPartition}`];
  if (filter.createdAfter !== undefined) {
    const afterMs = Date.parse(filter.createdAfter);
    if (Number.isNaN(afterMs)) {
      throw new ValidationError([{ field: 'createdAfter', message: 'is not a valid instant' }]);
    }
    // Row keys start with the inverted creation time: "created after" is "row key below".
    conditions.push(odata`RowKey lt ${invertedTimeKey(afterMs)}`);
  }
  if (filter.status !== undefined) conditions.push(odata`status eq ${filter.status}`);
  if (filter.type !== undefined) conditions.push(odata`type eq ${filter.type}`);
  return conditions.join(' and ');
}
