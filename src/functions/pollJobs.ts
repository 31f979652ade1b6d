import type { InvocationContext, Timer } from '@azure/functions';
import { getServices } from '../composition';
import { describeError } from '../core/logger';
import { pollActiveJobs } from '../jobs/pollActiveJobs';
import type { FunctionDeclaration } from './functionDeclaration';
import { invocationLogger } from './invocationLogger';

/**
 * One poll tick. Failures on single jobs are handled inside; anything else (storage down) is
 * logged and rethrown so the host records a failed run. Timers are not retried: the next tick is.
 */
export async function pollJobsHandler(_timer: Timer, context: InvocationContext): Promise<void> {
  try {
    const services = getServices();
    const deps = { ...services.deps, logger: invocationLogger(context) };
    await pollActiveJobs(deps, services.pollOptions);
  } catch (error) {
    context.error(`pollJobs failed: ${describeError(error)}`);
    throw error;
  }
}

export const pollJobsFunction: FunctionDeclaration = {
  kind: 'timer',
  name: 'pollJobs',
  options: { schedule: '%POLL_SCHEDULE%', handler: pollJobsHandler },
};
