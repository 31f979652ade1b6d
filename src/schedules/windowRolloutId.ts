import { createHash } from 'node:crypto';

/**
 * The rollout id of one window occurrence: `w-` and 24 hex characters of SHA-256 over schedule id,
 * zone and opening instant. Every tick and every host derives the same id, so the rollout store's
 * create-if-absent starts it once; two zones opening at the same instant get different ids.
 */
export function windowRolloutId(scheduleId: string, zone: string, opensAt: string): string {
  const digest = createHash('sha256').update(`${scheduleId}\n${zone}\n${opensAt}`).digest('hex');
  return `w-${digest.slice(0, 24)}`;
}
