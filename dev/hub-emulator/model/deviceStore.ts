import type { DeviceState } from './deviceState';

/**
 * The fleet in registration order. Deleted devices leave a tombstone until more than half of
 * the list is tombstones, so paging can resume after a registration number by binary search.
 */
export class DeviceStore {
  private readonly byId = new Map<string, DeviceState>();
  private ordered: DeviceState[] = [];
  private tombstones = 0;
  private nextOrder = 0;

  get size(): number {
    return this.byId.size;
  }

  get(deviceId: string): DeviceState | undefined {
    return this.byId.get(deviceId);
  }

  takeOrderNumber(): number {
    return this.nextOrder++;
  }

  /** The order number the next device will take; saved with the registry. */
  get nextOrderNumber(): number {
    return this.nextOrder;
  }

  /** Replaces the whole fleet, e.g. with one read back from a state directory. */
  load(states: readonly DeviceState[], nextOrder: number): void {
    this.byId.clear();
    this.ordered = [...states].sort((a, b) => a.$.order - b.$.order);
    for (const state of this.ordered) this.byId.set(state.deviceId, state);
    this.tombstones = 0;
    this.nextOrder = Math.max(nextOrder, (this.ordered.at(-1)?.$.order ?? -1) + 1);
  }

  add(state: DeviceState): void {
    this.byId.set(state.deviceId, state);
    this.ordered.push(state);
  }

  remove(state: DeviceState): void {
    state.$.deleted = true;
    this.byId.delete(state.deviceId);
    this.tombstones += 1;
    if (this.tombstones * 2 > this.ordered.length) this.compact();
  }

  /** Live devices registered after `afterOrder` (all of them for -1), in registration order. */
  *after(afterOrder = -1): Generator<DeviceState> {
    const list = this.ordered;
    for (let i = this.firstIndexAfter(afterOrder); i < list.length; i++) {
      const state = list[i];
      if (state && !state.$.deleted) yield state;
    }
  }

  private firstIndexAfter(order: number): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const candidate = this.ordered[middle];
      if (candidate !== undefined && candidate.$.order <= order) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private compact(): void {
    this.ordered = this.ordered.filter((state) => !state.$.deleted);
    this.tombstones = 0;
  }
}
