import type { StoredResponse } from '../core/idempotency';
import type { Rollout } from '../rollouts/rollout';
import { toRolloutResource } from '../rollouts/rolloutResourceSchema';

/** Routes are served under `/api` (host.json `routePrefix`). */
export function rolloutLocation(rolloutId: string): string {
  return `/api/rollouts/${rolloutId}`;
}

export function rolloutResponse(
  status: number,
  rollout: Rollout,
  withLocation = false,
): StoredResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      ...(withLocation ? { location: rolloutLocation(rollout.rolloutId) } : {}),
    },
    body: toRolloutResource(rollout),
  };
}
