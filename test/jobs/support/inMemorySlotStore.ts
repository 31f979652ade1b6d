import type { Clock } from '../../../src/core/clock';
import type { HubSlotStore, SlotHold } from '../../../src/jobs/ports';

/** Slot holds in a Map keyed by slot index, with the Table adapter's promises. */
export class InMemorySlotStore implements HubSlotStore {
  readonly slots = new Map<number, SlotHold>();
  private version = 0;

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  /** Job ids holding a slot, in slot order. */
  holders(): string[] {
    return [...this.slots.entries()].sort(([a], [b]) => a - b).map(([, hold]) => hold.jobId);
  }

  claim(jobId: string, limit: number): Promise<boolean> {
    if (this.holders().includes(jobId)) return Promise.resolve(true);
    if (this.slots.size >= limit) return Promise.resolve(false);
    let index = 0;
    while (this.slots.has(index)) index++;
    this.slots.set(index, this.hold(jobId));
    return Promise.resolve(true);
  }

  list(): Promise<SlotHold[]> {
    return Promise.resolve([...this.slots.values()].map((hold) => ({ ...hold })));
  }

  release(hold: SlotHold): Promise<boolean> {
    const index = this.indexOf(hold);
    if (index === undefined) return Promise.resolve(false);
    this.slots.delete(index);
    return Promise.resolve(true);
  }

  transfer(hold: SlotHold, jobId: string): Promise<SlotHold | undefined> {
    const index = this.indexOf(hold);
    if (index === undefined) return Promise.resolve(undefined);
    const next = this.hold(jobId);
    this.slots.set(index, next);
    return Promise.resolve({ ...next });
  }

  private hold(jobId: string): SlotHold {
    return { jobId, claimedAt: this.clock.now().toISOString(), revision: String(++this.version) };
  }

  private indexOf(hold: SlotHold): number | undefined {
    for (const [index, current] of this.slots) {
      if (current.revision === hold.revision && current.jobId === hold.jobId) return index;
    }
    return undefined;
  }
}
