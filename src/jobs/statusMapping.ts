import type { DeviceOutcome } from './job';
import type { HubJobSnapshot } from './ports';

/** A job status as the hub reports it, normalised (docs/iothub.md, Statuses). */
export type HubJobStatus = HubJobSnapshot['status'];

/** A device-job (`devices.jobs`) status, normalised. */
export type DeviceJobStatus =
  'pending' | 'scheduled' | 'running' | 'completed' | 'failed' | 'cancelled';

const jobStatusByRaw: Readonly<Record<string, HubJobStatus>> = {
  enqueued: 'queued',
  pending: 'queued',
  queued: 'queued',
  scheduled: 'scheduled',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  canceled: 'cancelled',
  cancelled: 'cancelled',
};

const deviceJobStatusByRaw: Readonly<Record<string, DeviceJobStatus>> = {
  pending: 'pending',
  queued: 'pending',
  enqueued: 'pending',
  scheduled: 'scheduled',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  canceled: 'cancelled',
  cancelled: 'cancelled',
};

/**
 * The hub's job status in hubjobs' words. Matching ignores case (the C# SDK sends enum names).
 * `unknown` and any value not listed map to `running`: a job must never look finished because the
 * hub said something new, and a non-terminal status keeps it in the poller's working set, so a
 * later answer still settles it.
 */
export function normaliseJobStatus(raw: string): HubJobStatus {
  return jobStatusByRaw[raw.trim().toLowerCase()] ?? 'running';
}

/**
 * A device-job status in hubjobs' words (`canceled`, the hub's spelling here, becomes `cancelled`).
 * Anything unrecognised maps to `pending`: unresolved, never counted as a success or a failure.
 */
export function normaliseDeviceJobStatus(raw: string): DeviceJobStatus {
  return deviceJobStatusByRaw[raw.trim().toLowerCase()] ?? 'pending';
}

export interface DeviceJobError {
  code: string;
  description?: string;
}

/** The outcome class of one device in one job (404103 offline, 504 timed out: docs/iothub.md). */
export function deviceOutcome(
  status: DeviceJobStatus,
  error?: DeviceJobError,
  methodResponse?: { status: number },
): DeviceOutcome {
  switch (status) {
    case 'pending':
    case 'scheduled':
      return 'pending';
    case 'running':
      return 'running';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return failureOutcome(error);
    case 'completed':
      // A device that answered with an error status did not do what it was asked.
      return methodResponse !== undefined && methodResponse.status >= 300 ? 'failed' : 'succeeded';
  }
}

const offlineCodes = new Set(['404103', '404102', 'devicenotonline']);

/** Classifies a failed device by its error code (a 6-digit number or a code name). */
export function failureOutcome(error?: DeviceJobError): DeviceOutcome {
  const code = error?.code.trim().toLowerCase() ?? '';
  if (offlineCodes.has(code)) return 'offline';
  // 504 / 504xxx, or a name such as GatewayTimeout or DeviceTimeout.
  if (/^504(\d{3})?$/.test(code) || /timed?\s*out/.test(code)) return 'timedOut';
  return 'failed';
}
