import type { InvocationContext } from '@azure/functions';
import type { WorkMessage, WorkMessageKind, WorkMessageOf } from '../core/workMessage';
import type { PoisonSink, ReceivedMessage } from '../core/workQueue';
import type { JobUseCaseDeps } from '../jobs/jobUseCaseDeps';
import { submitJob } from '../jobs/submitJob';

/** What a handler may use besides its message. */
export interface WorkScope {
  deps: JobUseCaseDeps;
  poisonSink: PoisonSink;
  messageId: string;
  received: ReceivedMessage;
  context: InvocationContext;
}

export type WorkHandler<K extends WorkMessageKind> = (
  message: WorkMessageOf<K>,
  scope: WorkScope,
) => Promise<void>;

/** One handler per kind of the union: a kind without one does not compile. */
export type WorkHandlers = { [K in WorkMessageKind]: WorkHandler<K> };

export const workHandlers: WorkHandlers = {
  submitJob: handleSubmitJob,
};

export function dispatchWork(message: WorkMessage, scope: WorkScope): Promise<void> {
  return handlerFor(message.kind)(message, scope);
}

function handlerFor<K extends WorkMessageKind>(kind: K): WorkHandler<K> {
  return workHandlers[kind];
}

/**
 * A message for a job that was never stored is recorded in the poison table and kept in the
 * poison queue, so a producer's wrong id is seen rather than dropped.
 */
async function handleSubmitJob(
  message: WorkMessageOf<'submitJob'>,
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
