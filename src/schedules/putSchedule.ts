import { createHash } from 'node:crypto';
import { ConcurrencyError } from '../core/errors';
import { canonicalJson } from '../core/requestHash';
import type { Schedule, ScheduleDefinition, StoredSchedule } from './schedule';
import type { ScheduleDeps } from './scheduleDeps';
import { ScheduleExistsError } from './scheduleErrors';

export interface PutScheduleResult {
  schedule: StoredSchedule;
  /** False when it replaced (or was the same as) a stored one. */
  created: boolean;
}

/**
 * Creates or replaces a schedule. A replacement keeps the runs and the evaluation time, so no
 * window already decided is decided again; enabling a disabled schedule moves its evaluation
 * time to now, so windows that passed while it was disabled are not caught up. Safe when two
 * PUTs race: each write is guarded, and the loser decides again on what the winner wrote.
 */
export async function putSchedule(
  scheduleId: string,
  definition: ScheduleDefinition,
  deps: Pick<ScheduleDeps, 'schedules' | 'clock'>,
): Promise<PutScheduleResult> {
  const definitionHash = createHash('sha256').update(canonicalJson(definition)).digest('hex');
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now().toISOString();
    const existing = await deps.schedules.get(scheduleId);
    try {
      if (existing === undefined) {
        const schedule: Schedule = {
          scheduleId,
          ...definition,
          definitionHash,
          createdAt: now,
          updatedAt: now,
          runs: [],
        };
        return { schedule: await deps.schedules.create(schedule), created: true };
      }
      if (existing.definitionHash === definitionHash) return { schedule: existing, created: false };
      return {
        schedule: await deps.schedules.update(replaced(existing, definition, definitionHash, now)),
        created: false,
      };
    } catch (error) {
      const raced = error instanceof ScheduleExistsError || error instanceof ConcurrencyError;
      if (!raced || attempt >= 5) throw error;
    }
  }
}

function replaced(
  existing: StoredSchedule,
  definition: ScheduleDefinition,
  definitionHash: string,
  now: string,
): StoredSchedule {
  const { zoneCensus, lastEvaluatedAt, ...kept } = existing;
  const sameTargets =
    canonicalJson(existing.rollout.targets) === canonicalJson(definition.rollout.targets) &&
    canonicalJson(existing.timeZone) === canonicalJson(definition.timeZone);
  const reEnabled = !existing.enabled && definition.enabled;
  const evaluatedAt = reEnabled ? now : lastEvaluatedAt;
  return {
    ...kept,
    ...definition,
    definitionHash,
    updatedAt: now,
    ...(evaluatedAt === undefined ? {} : { lastEvaluatedAt: evaluatedAt }),
    // The zones are counted again for other targets or another tag.
    ...(sameTargets && zoneCensus !== undefined ? { zoneCensus } : {}),
  };
}
