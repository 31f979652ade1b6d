import { advanceRollout, type AdvanceResult } from './advanceRollout';
import { enqueueAdvance } from './continueRollout';
import type { RolloutDeps } from './rolloutDeps';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One message runs at most this many in-process waits' worth before handing over to the next. */
const waitsPerMessage = 4;

/**
 * The `advanceRollout` queue message: one step, then the next one timed from the running chunk's
 * expected end (devices ÷ the hub's rate). A chunk due within `chunkEndWaitMs` is waited for in
 * process, so the next chunk starts as soon as the hub can take it; a later one is handed to a
 * message queued to arrive `continuationLeadSeconds` early, since a queue delay is whole seconds
 * and the trigger polls an idle queue only every few seconds (host.json `maxPollingInterval`).
 */
export async function continueRollout(
  rolloutId: string,
  deps: RolloutDeps,
): Promise<AdvanceResult> {
  const sleep = deps.sleep ?? defaultSleep;
  const { chunkEndWaitMs, chunkEndCheckMs, continuationLeadSeconds } = deps.rolloutOptions;
  const deadline = Date.now() + waitsPerMessage * chunkEndWaitMs;
  for (;;) {
    const result = await advanceRollout(rolloutId, deps, { refreshFromHub: true });
    if (result.outcome !== 'running') return result;
    const waitMs = result.checkInSeconds * 1000;
    if (waitMs <= chunkEndWaitMs && Date.now() + waitMs <= deadline) {
      await sleep(Math.max(chunkEndCheckMs, waitMs));
      continue;
    }
    const delaySeconds = Math.max(0, Math.floor(result.checkInSeconds - continuationLeadSeconds));
    await enqueueAdvance(result.rollout, deps, delaySeconds);
    return result;
  }
}
