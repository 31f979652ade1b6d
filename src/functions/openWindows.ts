import type { InvocationContext, Timer } from '@azure/functions';
import { getServices } from '../composition';
import { describeError } from '../core/logger';
import { openDueWindows } from '../schedules/openDueWindows';
import type { FunctionDeclaration } from './functionDeclaration';
import { invocationLogger } from './invocationLogger';
import { scheduleDepsOf } from './scheduleResponses';

/**
 * One window tick: every schedule's due windows are opened or recorded skipped. A schedule that
 * fails is logged inside and tried next tick; anything else (storage down) fails the run.
 */
export async function openWindowsHandler(_timer: Timer, context: InvocationContext): Promise<void> {
  try {
    const services = getServices();
    const deps = scheduleDepsOf(services, { ...services.deps, logger: invocationLogger(context) });
    const report = await openDueWindows(deps);
    if (report.opened + report.skipped + report.failed > 0) {
      deps.logger.info('openWindows: windows decided', { ...report });
    }
  } catch (error) {
    context.error(`openWindows failed: ${describeError(error)}`);
    throw error;
  }
}

export const openWindowsFunction: FunctionDeclaration = {
  kind: 'timer',
  name: 'openWindows',
  options: { schedule: '%WINDOW_SCHEDULE%', handler: openWindowsHandler },
};
