import type { TableEntity } from '@azure/data-tables';
import type {
  AttemptResult,
  RolloutDeviceOutcome,
  RolloutDeviceResult,
  Verification,
  VerifiedDevice,
} from '../rollouts/ports';
import { encodeKey } from './tableKeys';
import { fromDeviceResultEntity, toDeviceResultEntity } from './deviceResultEntity';

/** A device's merged row: PK rollout id, RK the encoded device id, the job's columns plus these. */
export function toRolloutDeviceEntity(rolloutId: string, result: AttemptResult): TableEntity {
  const { outcome, verification, ...rest } = result;
  return {
    ...toDeviceResultEntity({ ...rest, outcome: 'pending' }),
    outcome,
    partitionKey: rolloutId,
    jobId: result.jobId,
    attempt: result.attempt,
    ...(verification === undefined ? {} : { verification }),
  };
}

/** The columns a verification round changes; the rest of the row is kept (a Merge). */
export function toVerifiedEntity(rolloutId: string, device: VerifiedDevice): TableEntity {
  return {
    partitionKey: rolloutId,
    rowKey: encodeKey(device.deviceId),
    jobId: device.jobId,
    attempt: device.attempt,
    outcome: device.verification === 'converged' ? 'succeeded' : 'notConverged',
    verification: device.verification,
  };
}

/**
 * Which write wins: a later attempt, and within one attempt a verification's verdict over the
 * import's rows (which a repeated import writes again).
 */
export function precedenceOf(entity: Record<string, unknown>): number {
  const verdict = entity.verification === 'converged' || entity.verification === 'notConverged';
  return attemptOf(entity) * 2 + (verdict ? 1 : 0);
}

export function fromRolloutDeviceEntity(entity: Record<string, unknown>): RolloutDeviceResult {
  const verification = entity.verification;
  return {
    ...fromDeviceResultEntity(entity),
    outcome: String(entity.outcome) as RolloutDeviceOutcome,
    rolloutId: String(entity.partitionKey),
    jobId: String(entity.jobId),
    attempt: attemptOf(entity),
    ...(typeof verification === 'string' ? { verification: verification as Verification } : {}),
  };
}

export function attemptOf(entity: Record<string, unknown>): number {
  const attempt = entity.attempt;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) {
    throw new Error(`Rollout device row ${String(entity.rowKey)} has no attempt.`);
  }
  return attempt;
}
