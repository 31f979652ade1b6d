import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '../core/errors';
import { describeError } from '../core/logger';
import { canonicalJson } from '../core/requestHash';
import { emptyStatistics } from '../jobs/job';
import { enqueueAdvance } from './continueRollout';
import { parseDeviceIdText } from './parseDeviceIdText';
import type { RolloutRequest } from './rolloutRequestSchema';
import type { Rollout, RolloutSpec, RolloutTargets, StoredRollout } from './rollout';
import type { RolloutDeps } from './rolloutDeps';
import { RolloutExistsError } from './rolloutErrors';
import { describeBlobProblem } from './targetBlobProblem';

export interface CreateRolloutCommand {
  /** Validated and normalised; `dryRun` requests never reach this use case. */
  request: RolloutRequest;
  /** PUT and queue producers: the caller's id (or one derived from the message); POST: absent. */
  rolloutId?: string;
  mode: 'post' | 'put';
  /** A rerun: the rollout whose failed devices this one takes again. */
  rerunOf?: string;
  /** A schedule's window occurrence: when it closes and what happens then. */
  window?: RolloutSpec['window'];
}

export interface CreateRolloutResult {
  rollout: StoredRollout;
  /** False when the same request was already stored under this id. */
  created: boolean;
}

/**
 * Stores a new rollout as `accepted` and queues its first step (docs/rollouts.md). Device ids, given
 * inline or in a producer's blob, are de-duplicated into hubjobs' own blob first, so the stored
 * rollout and every message only name them. The same request under the same id again is a replay.
 */
export async function createRollout(
  command: CreateRolloutCommand,
  deps: RolloutDeps,
): Promise<CreateRolloutResult> {
  const { request } = command;
  const requestHash = hashRolloutRequest(request);
  const rolloutId = command.rolloutId ?? randomUUID();
  if (command.mode === 'put') {
    const existing = await deps.rollouts.get(rolloutId);
    if (existing !== undefined) return replay(existing, requestHash, deps);
  }
  const targets = await storedTargets(rolloutId, requestHash, request, deps);
  const now = deps.clock.now().toISOString();
  const rollout: Rollout = {
    rolloutId,
    spec: {
      operation: request.operation,
      targets,
      ...(request.waves === undefined ? {} : { waves: request.waves }),
      ...(request.failureThreshold === undefined
        ? {}
        : { failureThreshold: request.failureThreshold }),
      ...(request.retry === undefined ? {} : { retry: request.retry }),
      ...(request.verify === undefined ? {} : { verify: request.verify }),
      ...(request.startTime === undefined ? {} : { startTime: request.startTime }),
      maxExecutionTimeInSeconds: request.maxExecutionTimeInSeconds,
      ...(command.window === undefined ? {} : { window: command.window }),
    },
    requestHash,
    ...(command.rerunOf === undefined ? {} : { rerunOf: command.rerunOf }),
    status: 'accepted',
    statistics: { ...emptyStatistics },
    plan: { state: 'pending' },
    waves: [],
    cancelRequested: false,
    createdAt: now,
    updatedAt: now,
  };
  let stored: StoredRollout;
  try {
    stored = await deps.rollouts.create(rollout);
  } catch (error) {
    if (!(error instanceof RolloutExistsError) || command.mode !== 'put') throw error;
    const raced = await deps.rollouts.get(rolloutId);
    if (raced === undefined) throw error;
    return replay(raced, requestHash, deps);
  }
  await startSafely(stored, deps);
  return { rollout: stored, created: true };
}

/**
 * The request's hash, ids fed one by one: canonical JSON of a million ids would be one more copy
 * of them all. A producer's blob is named, not read: its reference is the request.
 */
function hashRolloutRequest(request: RolloutRequest): string {
  const { targets, dryRun: _dryRun, ...rest } = request;
  const hash = createHash('sha256').update(canonicalJson(rest));
  if (targets.kind !== 'deviceIds') return hash.update(canonicalJson(targets)).digest('hex');
  hash.update('deviceIds');
  for (const deviceId of targets.deviceIds) hash.update(`\n${deviceId}`);
  return hash.digest('hex');
}

async function replay(
  existing: StoredRollout,
  requestHash: string,
  deps: RolloutDeps,
): Promise<CreateRolloutResult> {
  if (existing.requestHash !== requestHash) {
    throw new ConflictError(
      `Rollout ${existing.rolloutId} already exists with a different request; choose another id.`,
    );
  }
  // A create cut short before its first message: the replay sends it (a second one is harmless).
  if (existing.status === 'accepted') await startSafely(existing, deps);
  return { rollout: existing, created: false };
}

/** The poller advances every active rollout too, so a lost first message only costs a tick. */
async function startSafely(rollout: StoredRollout, deps: RolloutDeps): Promise<void> {
  try {
    await enqueueAdvance(rollout, deps);
  } catch (error) {
    deps.logger.warn('createRollout: could not queue the first step; the poller will take it', {
      rolloutId: rollout.rolloutId,
      error: describeError(error),
    });
  }
}

async function storedTargets(
  rolloutId: string,
  requestHash: string,
  request: RolloutRequest,
  deps: RolloutDeps,
): Promise<RolloutTargets> {
  const { targets } = request;
  if (targets.kind === 'queryCondition') {
    return { kind: 'queryCondition', queryCondition: targets.queryCondition };
  }
  const deviceIds =
    targets.kind === 'deviceIds'
      ? targets.deviceIds
      : await readProducerBlob(targets.deviceIdsBlob, deps);
  // Named by the request, so a racing PUT with another body never overwrites this one's ids.
  const blobName = await deps.deviceIdBlobs.writeOwn(
    `${rolloutId}/${requestHash.slice(0, 16)}.txt`,
    deviceIds,
  );
  return { kind: 'deviceIds', blobName, deviceCount: deviceIds.length };
}

/** The producer's ids, de-duplicated; a blob that can never be read is a `ValidationError`. */
export async function readProducerBlob(reference: string, deps: RolloutDeps): Promise<string[]> {
  const field = 'targets.deviceIdsBlob';
  const read = await deps.deviceIdBlobs.readProducer(
    reference,
    deps.rolloutOptions.maxTargetBlobBytes,
  );
  if ('problem' in read) {
    throw new ValidationError([{ field, message: describeBlobProblem(read.problem) }]);
  }
  const parsed = parseDeviceIdText(read.text);
  if ('errors' in parsed) {
    throw new ValidationError(parsed.errors.map((message) => ({ field, message })));
  }
  if (parsed.deviceIds.length === 0) {
    throw new ValidationError([{ field, message: 'holds no device id' }]);
  }
  return parsed.deviceIds;
}
