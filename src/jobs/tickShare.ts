import { HubCallError } from '../core/hubCallError';

/**
 * The jobs operations one poll tick may still spend. A call the hub budget refused (overBudget:
 * nothing was sent) is not counted, and ends the tick's spending: the budget is spent for now.
 */
export class TickShare {
  private spentCalls = 0;
  private refused = false;

  constructor(readonly limit: number) {}

  get spent(): number {
    return this.spentCalls;
  }

  get left(): number {
    return this.refused ? 0 : Math.max(0, this.limit - this.spentCalls);
  }

  /** Sends `call` as one jobs operation; callers check `left` first, so it never overspends. */
  async spend<T>(call: () => Promise<T>): Promise<T> {
    if (this.left === 0) throw new Error('TickShare: no jobs operation left in this tick.');
    this.spentCalls++;
    try {
      return await call();
    } catch (error) {
      if (isOverBudget(error)) {
        this.spentCalls--;
        this.refused = true;
      }
      throw error;
    }
  }
}

export function isOverBudget(error: unknown): boolean {
  return error instanceof HubCallError && error.kind === 'overBudget';
}
