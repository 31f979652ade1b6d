/** Counts running invocations so that shutdown can wait for them and triggers can pace themselves. */
export class InFlight {
  readonly #running = new Set<Promise<unknown>>();

  get count(): number {
    return this.#running.size;
  }

  /** Runs `work` and keeps it counted until it settles; its rejection is left to the caller. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
    return work;
  }

  /** Resolves when any running invocation settles (at once when none runs). */
  async oneSettled(): Promise<void> {
    if (this.#running.size > 0) await Promise.race(this.#running);
  }

  /** Waits for all running invocations, at most `timeoutMs`; true when all finished in time. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const allDone = Promise.all([...this.#running]).then(() => true as const);
    try {
      return await Promise.race([allDone, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
