import { ConflictError, ValidationError } from '../core/errors';
import { createRollout } from '../rollouts/createRollout';
import { parseRolloutRequest, type RolloutRequest } from '../rollouts/rolloutRequestSchema';
import { isDeviceLocal, type Schedule } from './schedule';
import type { ScheduleDeps } from './scheduleDeps';
import { zoneCondition } from './zoneCensus';

export type WindowStart =
  | { outcome: 'opened'; created: boolean }
  /** The template can never run as it stands (a producer's blob gone, say). */
  | { outcome: 'refused'; message: string };

/**
 * Starts the rollout of one window occurrence under its derived id, through the same use case as
 * a producer's `startRollout` message. The store creates an id once, so a second tick or a second
 * host starting the same occurrence is a replay that starts nothing.
 */
export async function startWindowRollout(
  schedule: Schedule,
  occurrence: { rolloutId: string; zone: string; closesAt: string },
  deps: ScheduleDeps,
): Promise<WindowStart> {
  try {
    const request = windowRequest(schedule, occurrence.zone, deps);
    const window = {
      closesAt: occurrence.closesAt,
      endBehavior: schedule.endBehavior,
      scheduleId: schedule.scheduleId,
    };
    const { created } = await createRollout(
      { request, rolloutId: occurrence.rolloutId, mode: 'put', window },
      deps,
    );
    return { outcome: 'opened', created };
  } catch (error) {
    // The occurrence's rollout exists, started from the template as it was then.
    if (error instanceof ConflictError) return { outcome: 'opened', created: false };
    if (error instanceof ValidationError) return { outcome: 'refused', message: error.message };
    throw error;
  }
}

function windowRequest(schedule: Schedule, zone: string, deps: ScheduleDeps): RolloutRequest {
  const template = parseRolloutRequest(schedule.rollout, deps.rolloutRules);
  if (!isDeviceLocal(schedule.timeZone)) return template;
  const queryCondition = zoneCondition(schedule, schedule.timeZone.tag, zone);
  return { ...template, targets: { kind: 'queryCondition', queryCondition } };
}
