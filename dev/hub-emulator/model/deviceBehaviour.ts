import type { DeviceState } from './deviceState';
import { unitHash } from './hash';
import type { ResolvedHubOptions } from './resolveOptions';
import type { OperationOutcome } from './types';

/**
 * What a simulated device does with one operation. It depends only on the seed, the device,
 * the job and the attempt, never on execution order or time, so runs repeat exactly.
 */
export function simulatedOutcome(
  options: ResolvedHubOptions,
  deviceId: string,
  jobId: string,
  attempt: number,
): OperationOutcome {
  const draw = unitHash('outcome', options.seed, deviceId, jobId, attempt);
  let threshold = options.offlineShare;
  if (draw < threshold) return 'offline';
  threshold += options.transientFailureShare;
  if (draw < threshold) return 'timedOut';
  threshold += options.permanentFailureShare;
  if (draw < threshold) return 'failed';
  return 'succeeded';
}

/**
 * A device's outcome: switched off line or disabled (it cannot connect), else its sticky
 * behaviour, else the seeded draw.
 */
export function deviceOutcome(
  options: ResolvedHubOptions,
  device: DeviceState,
  jobId: string,
  attempt: number,
): OperationOutcome {
  if (device.$.forcedOffline || device.status === 'disabled') return 'offline';
  const sticky = device.$.behaviour;
  if (sticky?.fail) return 'failed';
  if (sticky?.timeOut) return 'timedOut';
  return simulatedOutcome(options, device.deviceId, jobId, attempt);
}

/** How long the device takes to answer a method. */
export function methodLatencyOf(options: ResolvedHubOptions, device: DeviceState): number {
  return device.$.behaviour?.latencyMs ?? options.methodLatencyMs;
}
