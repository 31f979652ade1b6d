import type { Timer, TimerFunctionOptions } from '@azure/functions';
import { Cron } from 'croner';
import type { HostLog } from './hostLog';
import type { InFlight } from './inFlight';
import { runInvocation } from './runInvocation';

export interface TimerTriggerOptions {
  name: string;
  /** With `schedule` already resolved from any `%SETTING%`. */
  options: TimerFunctionOptions;
  log: HostLog;
  inFlight: InFlight;
}

export interface RunningTimerTrigger {
  stop(): void;
}

/** A run that starts this much after its occurrence is reported as past due. */
const pastDueAfterMs = 1000;
/** What the Functions host reports as `last` before a first run (DateTime.MinValue). */
const noPreviousRun = '0001-01-01T00:00:00.000Z';

/**
 * Runs a timer function on its 6-field NCRONTAB schedule (UTC, like the Functions host on Linux),
 * as a singleton: an occurrence that comes while the previous run is still going is skipped.
 */
export function startTimerTrigger(trigger: TimerTriggerOptions): RunningTimerTrigger {
  const { name, options, log, inFlight } = trigger;
  let running = false;
  let lastRun = noPreviousRun;
  const fire = (occurrence: Date): void => {
    if (running) {
      log(name, 'warning', 'Skipped an occurrence: the previous run is still in progress.');
      return;
    }
    running = true;
    const timer: Timer = {
      isPastDue: Date.now() - occurrence.getTime() > pastDueAfterMs,
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: lastRun,
        next: cron.nextRun()?.toISOString() ?? '',
        lastUpdated: new Date().toISOString(),
      },
    };
    lastRun = occurrence.toISOString();
    const run = runInvocation(log, {
      functionName: name,
      trigger: { type: 'timerTrigger', name: 'timer', schedule: options.schedule },
      handler: options.handler,
      input: timer,
      reason: `Timer fired for ${occurrence.toISOString()}.`,
    }).finally(() => {
      running = false;
    });
    void inFlight.track(run);
  };
  const cron = createCron(name, options.schedule, (job) => fire(job.currentRun() ?? new Date()));
  if (options.runOnStartup === true) fire(new Date());
  return { stop: () => cron.stop() };
}

function createCron(name: string, schedule: string, onTick: (job: Cron) => void): Cron {
  try {
    return new Cron(schedule, { mode: '6-part', timezone: 'UTC' }, onTick);
  } catch (error) {
    throw new Error(
      `Function ${name}: schedule '${schedule}' is not a valid 6-field NCRONTAB expression (${(error as Error).message})`,
      { cause: error },
    );
  }
}
