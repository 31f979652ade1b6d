import { odata } from '@azure/data-tables';
import { ValidationError } from '../core/errors';
import type { RolloutListFilter } from '../rollouts/ports';
import { rolloutListPartition } from './rolloutEntity';
import { invertedTimeKey } from './tableKeys';

/** The OData filter over the rollouts' index rows that `list` pages through. */
export function rolloutListFilter(filter: RolloutListFilter): string {
  const conditions = [odata`PartitionKey eq ${rolloutListPartition}`];
  if (filter.createdAfter !== undefined) {
    const afterMs = Date.parse(filter.createdAfter);
    if (Number.isNaN(afterMs)) {
      throw new ValidationError([{ field: 'createdAfter', message: 'is not a valid instant' }]);
    }
    // Row keys start with the inverted creation time: "created after" is "row key below".
    conditions.push(odata`RowKey lt ${invertedTimeKey(afterMs)}`);
  }
  if (filter.status !== undefined) conditions.push(odata`status eq ${filter.status}`);
  return conditions.join(' and ');
}
