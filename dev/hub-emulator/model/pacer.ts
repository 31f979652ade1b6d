/** Unused allowance older than this is forgotten, so an idle hub does not save up a burst. */
const MAX_CATCH_UP_MS = 1000;

/**
 * Spaces out job device operations at the tier's rate (hub-wide, shared by all running jobs).
 * A rate of 0 means no pacing.
 */
export class Pacer {
  private nextAt = -Infinity;

  constructor(private readonly perSecond: number) {}

  get unlimited(): boolean {
    return this.perSecond <= 0;
  }

  /** Takes up to `wanted` operation slots that are available at `now`; answers how many it got. */
  take(now: number, wanted: number): number {
    if (this.unlimited) return wanted;
    const interval = 1000 / this.perSecond;
    if (this.nextAt < now - MAX_CATCH_UP_MS) this.nextAt = now;
    let granted = 0;
    while (granted < wanted && this.nextAt <= now) {
      this.nextAt += interval;
      granted += 1;
    }
    return granted;
  }

  /** When the next slot opens (any time for an unlimited pacer). */
  nextSlotAt(now: number): number {
    return this.unlimited ? now : Math.max(now, this.nextAt);
  }
}
