import type { DeviceResult, StoredJob } from '../jobs/job';
import type { RolloutDeviceResultStore } from './ports';
import { parseChunkJobId } from './rollout';

/**
 * The results import's observer (`JobUseCaseDeps.resultsImported`): a chunk job's page of device
 * results goes into its rollout's merged rows with the attempt read from the chunk's job id.
 */
export function recordRolloutDeviceResults(
  store: RolloutDeviceResultStore,
): (job: StoredJob, results: DeviceResult[]) => Promise<void> {
  return async (job, results) => {
    if (job.rolloutId === undefined || results.length === 0) return;
    const chunk = parseChunkJobId(job.jobId);
    // Only chunk jobs carry a rollout id; anything else is a bug to surface, not to guess at.
    if (chunk?.rolloutId !== job.rolloutId) {
      throw new Error(`Job ${job.jobId} is not a chunk job of rollout ${job.rolloutId}.`);
    }
    await store.record(
      job.rolloutId,
      results.map((result) => ({ ...result, attempt: chunk.attempt })),
    );
  };
}
