import type { InvocationContext, Timer } from '@azure/functions';
import { getServices, type Services } from '../composition';
import { describeError, type Logger } from '../core/logger';
import { pollActiveJobs } from '../jobs/pollActiveJobs';
import { advanceActiveRollouts } from '../rollouts/advanceActiveRollouts';
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
    const report = await pollActiveJobs(deps, services.pollOptions);
    // After the jobs' refresh, so a chunk that just ended is followed by the next at once.
    const rollouts = await advanceActiveRollouts(deps);
    if (rollouts.activeRollouts > 0)
      deps.logger.info('pollJobs: rollouts stepped', { ...rollouts });
    if (report.activeJobs > 0) await logBudgetUsage(services, deps.logger);
  } catch (error) {
    context.error(`pollJobs failed: ${describeError(error)}`);
    throw error;
  }
}

/**
 * What every instance drew from the hub budget in the last minute, beside the tick's own spend:
 * a tick can be well inside its share while creates spend the rest. Never fails the tick.
 */
async function logBudgetUsage(services: Services, logger: Logger): Promise<void> {
  if (services.hubBudget === undefined) return;
  try {
    const usage = await services.hubBudget.usage();
    const line = (quota: keyof typeof usage) =>
      `${usage[quota].usedLastMinute}/${usage[quota].limitPerMinute}`;
    logger.info('pollJobs: hub budget used in the last minute', {
      jobsOperations: line('jobsOperations'),
      queries: line('queries'),
    });
  } catch (error) {
    logger.warn('pollJobs: could not read the hub budget', { error: describeError(error) });
  }
}

export const pollJobsFunction: FunctionDeclaration = {
  kind: 'timer',
  name: 'pollJobs',
  options: { schedule: '%POLL_SCHEDULE%', handler: pollJobsHandler },
};
