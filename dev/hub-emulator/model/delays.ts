import { hubErrors } from '../hubError';

/** Waits that the model can cut short on close(), so no timer outlives it. */
export class Delays {
  private readonly pending = new Map<NodeJS.Timeout, (error: Error) => void>();

  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, reject);
    });
  }

  cancelAll(): void {
    for (const [timer, reject] of this.pending) {
      clearTimeout(timer);
      reject(hubErrors.serviceUnavailable('The hub emulator is shutting down.'));
    }
    this.pending.clear();
  }
}
