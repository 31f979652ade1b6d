import { setTimeout as sleep } from 'node:timers/promises';

export type HealthWait = { ok: true } | { ok: false; last: string };

/**
 * Polls `GET <baseUrl>/health` until it answers 200 or `timeoutMs` passes; on time-out, says what
 * it answered last (the app's 503 names what is down).
 */
export async function waitForHealth(
  baseUrl: string,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<HealthWait> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/health`, {
        signal: AbortSignal.timeout(Math.max(1, Math.min(10_000, deadline - Date.now()))),
      });
      if (response.ok) return { ok: true };
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(intervalMs);
  }
  return { ok: false, last };
}
