import type { HubRouteName } from './routes';

/** Answers of one route: the HTTP status of a success, the 6-digit code of an error. */
export type AnswerCounts = Record<string, number>;

/**
 * Hub requests seen per route, and how each was answered, so tests and benchmarks can count what
 * a client spent and how often the hub refused it (e.g. 429001 throttled, 429004 no job slot).
 */
export class RequestCounter {
  private counts = new Map<HubRouteName, number>();
  private answers = new Map<HubRouteName, Map<string, number>>();

  record(route: HubRouteName): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
  }

  /** `outcome` is the status of a success (`"200"`) or the error's code (`"429004"`). */
  recordAnswer(route: HubRouteName, outcome: number): void {
    const byOutcome = this.answers.get(route) ?? new Map<string, number>();
    byOutcome.set(String(outcome), (byOutcome.get(String(outcome)) ?? 0) + 1);
    this.answers.set(route, byOutcome);
  }

  snapshot(): Partial<Record<HubRouteName, number>> {
    return Object.fromEntries(this.counts);
  }

  answerSnapshot(): Partial<Record<HubRouteName, AnswerCounts>> {
    return Object.fromEntries(
      [...this.answers].map(([route, byOutcome]) => [route, Object.fromEntries(byOutcome)]),
    );
  }

  reset(): void {
    this.counts.clear();
    this.answers.clear();
  }
}
