import { advanceRollout, type AdvanceResult } from './advanceRollout';
import { enqueueAdvance } from './continueRollout';
import type { RolloutDeps } from './rolloutDeps';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The `advanceRollout` queue message: one step, then the next message timed from the running
 * chunk's expected end (devices ÷ the hub's rate). A chunk about to end is waited for in process
 * (queue delays are whole seconds, and that gap, chunk after chunk, is most of a rollout's time).
 */
export async function continueRollout(
  rolloutId: string,
  deps: RolloutDeps,
): Promise<AdvanceResult> {
  const sleep = deps.sleep ?? defaultSleep;
  const { chunkEndWaitMs, chunkEndCheckMs } = deps.rolloutOptions;
  const deadline = Date.now() + chunkEndWaitMs;
  for (;;) {
    const result = await advanceRollout(rolloutId, deps, { refreshFromHub: true });
    if (result.outcome !== 'running') return result;
    const waitMs = result.checkInSeconds * 1000;
    const remainingMs = deadline - Date.now();
    if (waitMs > remainingMs) {
      await enqueueAdvance(result.rollout, deps, result.checkInSeconds);
      return result;
    }
    await sleep(Math.max(chunkEndCheckMs, waitMs));
  }
}
