import type { TableEntity } from '@azure/data-tables';
import type { AttemptResult, RolloutDeviceResult } from '../rollouts/ports';
import { fromDeviceResultEntity, toDeviceResultEntity } from './deviceResultEntity';

/** A device's merged row: PK rollout id, RK the encoded device id, the job's columns plus these. */
export function toRolloutDeviceEntity(rolloutId: string, result: AttemptResult): TableEntity {
  return {
    ...toDeviceResultEntity(result),
    partitionKey: rolloutId,
    jobId: result.jobId,
    attempt: result.attempt,
  };
}

export function fromRolloutDeviceEntity(entity: Record<string, unknown>): RolloutDeviceResult {
  return {
    ...fromDeviceResultEntity(entity),
    rolloutId: String(entity.partitionKey),
    jobId: String(entity.jobId),
    attempt: attemptOf(entity),
  };
}

export function attemptOf(entity: Record<string, unknown>): number {
  const attempt = entity.attempt;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) {
    throw new Error(`Rollout device row ${String(entity.rowKey)} has no attempt.`);
  }
  return attempt;
}
