import type { StoredJob } from './job';
import { isHubActive, isTerminal } from './jobLifecycle';
import type { JobUseCaseDeps } from './jobUseCaseDeps';
import type { SlotHold } from './ports';

type SlotDeps = Pick<JobUseCaseDeps, 'hubSlots' | 'clock' | 'admission'>;

export interface SlotPlan {
  /** Jobs holding a slot that is still in use. */
  held: Set<string>;
  /** Holds nothing uses any more, to be handed to waiting jobs or released. */
  stale: SlotHold[];
  /** Slots hubjobs may still fill: the limit minus the slots in use. */
  free: number;
}

/**
 * Brings the slot holds in line with the poller's active set (docs/storage.md): a hold whose job
 * ended, or that a submit left behind longer than the claim grace, is stale; a job active at the
 * hub without a hold gets one, since it occupies a hub slot all the same.
 */
export async function reconcileHubSlots(jobs: StoredJob[], deps: SlotDeps): Promise<SlotPlan> {
  const holds = await deps.hubSlots.list();
  const byId = new Map(jobs.map((job) => [job.jobId, job]));
  const nowMs = deps.clock.now().getTime();
  const held = new Set<string>();
  const stale: SlotHold[] = [];
  for (const hold of [...holds].sort((a, b) => a.claimedAt.localeCompare(b.claimedAt))) {
    const inUse = !held.has(hold.jobId) && holdInUse(hold, byId.get(hold.jobId), nowMs, deps);
    if (inUse) held.add(hold.jobId);
    else stale.push(hold);
  }
  for (const job of jobs) {
    if (!isHubActive(job.status) || held.has(job.jobId)) continue;
    if (await takeSlot(job.jobId, stale, Number.MAX_SAFE_INTEGER, deps)) held.add(job.jobId);
  }
  return { held, stale, free: Math.max(0, deps.admission.maxActiveJobs - held.size) };
}

/**
 * Gives `jobId` a slot: a stale hold handed over in one write when there is one (so no other
 * claim slips in between), else a fresh claim within `limit`.
 */
export async function takeSlot(
  jobId: string,
  stale: SlotHold[],
  limit: number,
  deps: Pick<JobUseCaseDeps, 'hubSlots'>,
): Promise<boolean> {
  const reusable = stale.shift();
  if (reusable !== undefined && (await deps.hubSlots.transfer(reusable, jobId)) !== undefined) {
    return true;
  }
  return deps.hubSlots.claim(jobId, limit);
}

/** Frees the slots `jobId` holds; a hold another caller changed meanwhile is theirs now. */
export async function releaseSlot(
  jobId: string,
  deps: Pick<JobUseCaseDeps, 'hubSlots'>,
): Promise<void> {
  const holds = (await deps.hubSlots.list()).filter((hold) => hold.jobId === jobId);
  for (const hold of holds) await deps.hubSlots.release(hold);
}

function holdInUse(
  hold: SlotHold,
  job: StoredJob | undefined,
  nowMs: number,
  deps: SlotDeps,
): boolean {
  // Not yet recorded as submitted (or not yet listed): its submit may still be under way.
  if (job === undefined || job.status === 'accepted') {
    const ageMs = nowMs - Date.parse(hold.claimedAt);
    return ageMs < deps.admission.slotClaimGraceSeconds * 1000;
  }
  return !isTerminal(job.status);
}
