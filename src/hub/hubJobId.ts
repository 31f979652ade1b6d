import { HubCallError } from '../core/hubCallError';

/** The hub's job id rule (docs/iothub.md, Job ids and names). */
const hubJobIdPattern = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Refuses an id outside the hub's rule before any call: getJob and cancelJob put the id into the
 * URL path unencoded, and the devices.jobs query puts it into query text.
 */
export function assertHubJobId(jobId: string): void {
  if (!hubJobIdPattern.test(jobId)) {
    throw new HubCallError('badRequest', 'Job id must match ^[A-Za-z0-9-]{1,64}$.');
  }
}
