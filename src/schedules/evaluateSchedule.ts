import { ConcurrencyError } from '../core/errors';
import { isRolloutTerminal } from '../rollouts/rolloutLifecycle';
import {
  isDeviceLocal,
  maxRecentRuns,
  type ScheduleRun,
  type StoredSchedule,
  type ZoneCensus,
} from './schedule';
import type { ScheduleDeps } from './scheduleDeps';
import { startWindowRollout } from './startWindowRollout';
import { occurrencesToDecide, type Occurrence } from './windowOccurrences';
import { windowRolloutId } from './windowRolloutId';
import { zoneCensusOf } from './zoneCensus';

export interface Evaluation {
  scheduleId: string;
  opened: number;
  skipped: number;
}

/**
 * One tick's decisions for one schedule (docs/schedules.md): each due window occurrence, in each
 * zone, is opened (its rollout started) or recorded as skipped, and the runs and the evaluation
 * time are written under the schedule's revision. A second host deciding at the same time starts
 * nothing twice (the rollout id is derived) and loses the write, then finds nothing left to decide.
 */
export async function evaluateSchedule(
  scheduleId: string,
  deps: ScheduleDeps,
): Promise<Evaluation> {
  for (let attempt = 1; ; attempt++) {
    const schedule = await deps.schedules.get(scheduleId);
    if (schedule === undefined || !schedule.enabled) return { scheduleId, opened: 0, skipped: 0 };
    try {
      return await decide(schedule, deps);
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}

async function decide(schedule: StoredSchedule, deps: ScheduleDeps): Promise<Evaluation> {
  const now = deps.clock.now();
  const census = await zoneCensusOf(schedule, deps);
  const zones =
    typeof schedule.timeZone === 'string'
      ? [schedule.timeZone]
      : (census?.zones.map((entry) => entry.zone) ?? []);
  const runs: ScheduleRun[] = [];
  for (const zone of zones) {
    for (const occurrence of occurrencesToDecide(schedule, zone, now.getTime())) {
      runs.push(await decideOne(schedule, occurrence, [...schedule.runs, ...runs], census, deps));
    }
  }
  const censusChanged = census !== undefined && census !== schedule.zoneCensus;
  if (runs.length > 0 || censusChanged) {
    await deps.schedules.update({
      ...schedule,
      runs: [...schedule.runs, ...runs].slice(-maxRecentRuns),
      ...(runs.length > 0 ? { lastEvaluatedAt: now.toISOString() } : {}),
      ...(census === undefined ? {} : { zoneCensus: census }),
    });
  }
  const opened = runs.filter((run) => run.outcome === 'opened').length;
  return { scheduleId: schedule.scheduleId, opened, skipped: runs.length - opened };
}

async function decideOne(
  schedule: StoredSchedule,
  occurrence: Occurrence,
  earlier: readonly ScheduleRun[],
  census: ZoneCensus | undefined,
  deps: ScheduleDeps,
): Promise<ScheduleRun> {
  const opensAt = new Date(occurrence.opensAtMs).toISOString();
  const closesAt = new Date(occurrence.closesAtMs).toISOString();
  const rolloutId = windowRolloutId(schedule.scheduleId, occurrence.zone, opensAt);
  const run: ScheduleRun = {
    opensAt,
    closesAt,
    zone: occurrence.zone,
    outcome: 'skipped',
    rolloutId,
    recordedAt: deps.clock.now().toISOString(),
    ...(census === undefined || !isDeviceLocal(schedule.timeZone)
      ? {}
      : { unzoned: census.unzoned }),
  };
  if (occurrence.blackout) return { ...run, reason: 'blackout' };
  if (deps.clock.now().getTime() >= occurrence.closesAtMs) return { ...run, reason: 'missed' };
  if (await previousRunActive(earlier, occurrence.zone, rolloutId, deps)) {
    return { ...run, reason: 'previousRunActive' };
  }
  const started = await startWindowRollout(
    schedule,
    { rolloutId, zone: occurrence.zone, closesAt },
    deps,
  );
  if (started.outcome === 'refused') {
    deps.logger.warn('openWindows: the rollout template was refused', {
      scheduleId: schedule.scheduleId,
      rolloutId,
      reason: started.message,
    });
    return { ...run, reason: 'refused', message: started.message };
  }
  return { ...run, outcome: 'opened' };
}

/** The zone's latest opened run, if another occurrence's, has a rollout that has not ended. */
async function previousRunActive(
  runs: readonly ScheduleRun[],
  zone: string,
  rolloutId: string,
  deps: ScheduleDeps,
): Promise<boolean> {
  const previous = runs.findLast((run) => run.zone === zone && run.outcome === 'opened');
  if (previous === undefined || previous.rolloutId === rolloutId) return false;
  const rollout = await deps.rollouts.get(previous.rolloutId);
  return rollout !== undefined && !isRolloutTerminal(rollout.status);
}
