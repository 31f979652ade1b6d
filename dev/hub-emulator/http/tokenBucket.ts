/**
 * A token bucket for "N operations per minute": it holds up to a minute's worth of tokens (the
 * hub's traffic shaping lets short bursts through) and refills continuously. A rate of 0 is off.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perMinute;
    this.refilledAt = now();
  }

  /** Takes one token; answers undefined when granted, else the seconds until one is available. */
  take(): number | undefined {
    if (this.perMinute <= 0) return undefined;
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    const millisecondsPerToken = 60_000 / this.perMinute;
    const waitMs = (1 - this.tokens) * millisecondsPerToken;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  private refill(): void {
    const now = this.now();
    const elapsedMs = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.perMinute, this.tokens + (elapsedMs * this.perMinute) / 60_000);
    this.refilledAt = now;
  }
}
