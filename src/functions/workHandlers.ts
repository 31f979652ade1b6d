import type { InvocationContext } from '@azure/functions';
import type { QueueMessage, QueueMessageKind, QueueMessageOf } from '../queueContract';
import type { PoisonSink, ReceivedMessage } from '../core/workQueue';
import { followJob } from '../jobs/followJob';
import { submitJob } from '../jobs/submitJob';
import { ConflictError, ValidationError } from '../core/errors';
import { continueRollout } from '../rollouts/continueRolloutMessage';
import { createRollout } from '../rollouts/createRollout';
import { parseRolloutRequest, type ContainerRules } from '../rollouts/rolloutRequestSchema';
import type { RolloutDeps } from '../rollouts/rolloutDeps';

/** What a handler may use besides its message. */
export interface WorkScope {
  deps: RolloutDeps;
  rolloutRules: ContainerRules;
  /** The message as the trigger handed it over, before the contract's parse transformed it. */
  item: unknown;
  poisonSink: PoisonSink;
  messageId: string;
  received: ReceivedMessage;
  context: InvocationContext;
}

export type WorkHandler<K extends QueueMessageKind> = (
  message: QueueMessageOf<K>,
  scope: WorkScope,
) => Promise<void>;

/** One handler per kind of the union: a kind without one does not compile. */
export type WorkHandlers = { [K in QueueMessageKind]: WorkHandler<K> };

export const workHandlers: WorkHandlers = {
  submitJob: handleSubmitJob,
  followJob: handleFollowJob,
  advanceRollout: handleAdvanceRollout,
  startRollout: handleStartRollout,
};

export function dispatchWork(message: QueueMessage, scope: WorkScope): Promise<void> {
  return handlerFor(message.kind)(message, scope);
}

function handlerFor<K extends QueueMessageKind>(kind: K): WorkHandler<K> {
  return workHandlers[kind];
}

/**
 * A message for a job that was never stored is recorded in the poison table and kept in the
 * poison queue, so a producer's wrong id is seen rather than dropped.
 */
async function handleSubmitJob(
  message: QueueMessageOf<'submitJob'>,
  scope: WorkScope,
): Promise<void> {
  const result = await submitJob(message.jobId, scope.deps);
  if (result.outcome !== 'notFound') {
    scope.context.log(`submitJob ${message.jobId}: ${result.outcome}`);
    return;
  }
  const reason = `jobId: no job ${message.jobId} exists`;
  await scope.poisonSink.reject(scope.messageId, scope.received, [reason]);
  scope.context.warn(
    `Message ${scope.messageId}: submitJob for job ${message.jobId}, which does not exist; ` +
      'recorded in the poison table and moved to poison.',
  );
}

/** hubjobs' own look at a job's expected end; a job deleted meanwhile leaves nothing to do. */
async function handleFollowJob(
  message: QueueMessageOf<'followJob'>,
  scope: WorkScope,
): Promise<void> {
  const outcome = await followJob(message.jobId, message.follow, scope.deps);
  scope.context.log(`followJob ${message.jobId} (${message.follow}): ${outcome}`);
}

/** As for submitJob: a message naming a rollout never stored is kept in poison, explained. */
async function handleAdvanceRollout(
  message: QueueMessageOf<'advanceRollout'>,
  scope: WorkScope,
): Promise<void> {
  const result = await continueRollout(message.rolloutId, scope.deps);
  if (result.outcome !== 'notFound') {
    scope.context.log(`advanceRollout ${message.rolloutId}: ${result.outcome}`);
    return;
  }
  await scope.poisonSink.reject(scope.messageId, scope.received, [
    `rolloutId: no rollout ${message.rolloutId} exists`,
  ]);
  scope.context.warn(
    `Message ${scope.messageId}: advanceRollout for rollout ${message.rolloutId}, which does ` +
      'not exist; recorded in the poison table and moved to poison.',
  );
}

/**
 * A producer's rollout, under its own id or one derived from the message id, so a redelivered
 * message is a replay that starts nothing. A request that can never run (a reserved container, a
 * blob that is missing, forbidden, too large or malformed, the id taken by another request) is
 * recorded in the poison table and moved to poison at once; a storage or hub hiccup throws, and
 * the message is retried.
 */
async function handleStartRollout(
  message: QueueMessageOf<'startRollout'>,
  scope: WorkScope,
): Promise<void> {
  const rolloutId = message.rolloutId ?? rolloutIdOfMessage(scope.messageId);
  try {
    // The raw body: the contract's parse has already reshaped `message.rollout` (tagged targets).
    const raw = (scope.item as { rollout?: unknown }).rollout;
    const request = parseRolloutRequest(raw, scope.rolloutRules);
    if (request.dryRun) {
      throw new ValidationError([
        { field: 'rollout.dryRun', message: 'is answered over HTTP only (POST /rollouts)' },
      ]);
    }
    const { created } = await createRollout({ request, rolloutId, mode: 'put' }, scope.deps);
    scope.context.log(`startRollout ${rolloutId}: ${created ? 'started' : 'already started'}`);
  } catch (error) {
    const reasons = refusalReasons(error);
    if (reasons === undefined) throw error;
    await scope.poisonSink.reject(scope.messageId, scope.received, reasons);
    scope.context.warn(
      `Message ${scope.messageId}: startRollout ${rolloutId} refused and moved to poison: ${reasons.join('; ')}`,
    );
  }
}

/** `q-` and the message id's letters, digits and dashes: a queue message id is a GUID. */
export function rolloutIdOfMessage(messageId: string): string {
  return `q-${messageId.replace(/[^A-Za-z0-9-]/g, '')}`.slice(0, 40);
}

/** Why a request can never run, field by field; undefined for a failure worth retrying. */
function refusalReasons(error: unknown): string[] | undefined {
  if (error instanceof ValidationError) {
    return error.errors.map((e) => `${prefixed(e.field)}: ${e.message}`);
  }
  if (error instanceof ConflictError) return [`rolloutId: ${error.message}`];
  return undefined;
}

/** The message's own field names: the request's fields are under `rollout`. */
function prefixed(field: string): string {
  if (field === 'body') return 'rollout';
  return field.startsWith('rollout.') ? field : `rollout.${field}`;
}
