import type { Clock } from './types';

/**
 * A step does the work that is due at `now` and answers when it next has work to do (a clock
 * time; `now` or earlier for "right away"), or undefined when it is idle.
 */
export type EngineStep = (now: number) => number | undefined;

/** Waits are capped so that a test clock that jumps ahead is noticed soon. */
const MAX_WAIT_MS = 200;

/**
 * The one loop that drives every timed thing in the model (jobs, reported echoes). Its timers
 * are unref'd and it stops scheduling itself when idle, so only work that is runnable right
 * now keeps the process alive.
 */
export class EngineLoop {
  private readonly steps: EngineStep[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private wokenWhileRunning = false;
  private closed = false;

  constructor(private readonly clock: Clock) {}

  register(step: EngineStep): void {
    this.steps.push(step);
  }

  /** Asks for a run as soon as possible, e.g. after new work arrived. */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.wokenWhileRunning = true;
      return;
    }
    if (this.immediate) return;
    this.clearTimer();
    // Not unref'd: libuv only skips its poll wait for referenced immediates, and an unref'd
    // one would leave each slice of a large job waiting for the next unrelated event.
    this.immediate = setImmediate(() => this.run());
  }

  close(): void {
    this.closed = true;
    this.clearTimer();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  private run(): void {
    this.immediate = undefined;
    this.running = true;
    let nextDue: number;
    try {
      nextDue = this.runSteps(this.clock.now());
    } finally {
      this.running = false;
    }
    if (this.wokenWhileRunning) {
      this.wokenWhileRunning = false;
      nextDue = -Infinity;
    }
    this.scheduleAt(nextDue);
  }

  private runSteps(now: number): number {
    let nextDue = Infinity;
    for (const step of this.steps) {
      try {
        const due = step(now);
        if (due !== undefined) nextDue = Math.min(nextDue, due);
      } catch (error) {
        console.error('hub emulator: an engine step failed:', error);
      }
    }
    return nextDue;
  }

  private scheduleAt(due: number): void {
    if (this.closed || due === Infinity) return;
    const delay = due - this.clock.now();
    if (delay <= 0) {
      this.wake();
      return;
    }
    this.clearTimer();
    this.timer = setTimeout(() => this.run(), Math.min(Math.ceil(delay), MAX_WAIT_MS));
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
