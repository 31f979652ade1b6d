import type { DeviceResult, StoredJob } from '../jobs/job';
import type { AttemptResult, RolloutDeviceResultStore, RolloutStore } from './ports';
import { parseChunkJobId } from './rollout';

/** Rollouts whose verify setting was looked up; a spec never changes, so it is never stale. */
const maxRemembered = 1000;

/**
 * The results import's observer (`JobUseCaseDeps.resultsImported`): a chunk job's page of device
 * results goes into its rollout's merged rows with the attempt read from the chunk's job id. In a
 * verified rollout a device the hub wrote the patch to is `running`, awaiting its reported
 * properties, until a verification round decides.
 */
export function recordRolloutDeviceResults(
  store: RolloutDeviceResultStore,
  rollouts: Pick<RolloutStore, 'get'>,
): (job: StoredJob, results: DeviceResult[]) => Promise<void> {
  const verified = new Map<string, boolean>();
  const isVerified = async (rolloutId: string): Promise<boolean> => {
    const known = verified.get(rolloutId);
    if (known !== undefined) return known;
    const rollout = await rollouts.get(rolloutId);
    const answer = rollout?.spec.verify !== undefined;
    if (verified.size >= maxRemembered) verified.clear();
    verified.set(rolloutId, answer);
    return answer;
  };
  return async (job, results) => {
    if (job.rolloutId === undefined || results.length === 0) return;
    const chunk = parseChunkJobId(job.jobId);
    // Only chunk jobs carry a rollout id; anything else is a bug to surface, not to guess at.
    if (chunk?.rolloutId !== job.rolloutId) {
      throw new Error(`Job ${job.jobId} is not a chunk job of rollout ${job.rolloutId}.`);
    }
    const awaits = await isVerified(job.rolloutId);
    await store.record(
      job.rolloutId,
      results.map((result): AttemptResult => {
        const row = { ...result, attempt: chunk.attempt };
        if (!awaits || result.outcome !== 'succeeded') return row;
        return { ...row, outcome: 'running', verification: 'awaiting' };
      }),
    );
  };
}
