import type { HubRouteName } from './routes';

/** Hub requests seen per route, so tests and benchmarks can count what a client spent. */
export class RequestCounter {
  private counts = new Map<HubRouteName, number>();

  record(route: HubRouteName): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
  }

  snapshot(): Partial<Record<HubRouteName, number>> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}
