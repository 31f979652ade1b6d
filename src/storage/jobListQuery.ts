import { odata } from '@azure/data-tables';
import { ValidationError } from '../core/errors';
import type { JobListFilter } from '../jobs/ports';
import { listPartition, rolloutListPartition } from './jobEntity';
import { invertedTimeKey } from './tableKeys';

const rolloutIdPattern = /^[A-Za-z0-9-]{1,40}$/;

/**
 * The OData filter over the list copies that `list` pages through: the plain jobs' partition, or
 * one rollout's (see `listPartitionOf`).
 */
export function listFilter(filter: JobListFilter): string {
  const conditions = [odata`PartitionKey eq ${partitionOf(filter)}`];
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

function partitionOf(filter: JobListFilter): string {
  if (filter.rolloutId === undefined) return listPartition;
  if (!rolloutIdPattern.test(filter.rolloutId)) {
    throw new ValidationError([{ field: 'rolloutId', message: 'is not a valid rollout id' }]);
  }
  return rolloutListPartition(filter.rolloutId);
}
