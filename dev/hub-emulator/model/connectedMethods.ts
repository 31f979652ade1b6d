import { HubError, hubErrors } from '../hubError';
import type { Delays } from './delays';
import type { DeviceLink, DeviceLinks } from './deviceLinks';
import type { DeviceState } from './deviceState';
import type { ParsedMethodRequest } from './methodRequest';
import type { MethodResult, OperationOutcome } from './types';

/**
 * A direct method on a real device: the connected device answers, with its own status and
 * payload. Sticky behaviours other than offline do not apply; the device decides.
 */
export async function invokeOnConnection(
  links: DeviceLinks,
  device: DeviceState,
  request: ParsedMethodRequest,
  record: (outcome: OperationOutcome) => void,
  delays: Delays,
): Promise<MethodResult> {
  const link = await linkWithin(links, device, request.connectTimeoutInSeconds * 1000, delays);
  if (!link || device.$.forcedOffline || device.status === 'disabled') {
    record('offline');
    throw hubErrors.deviceNotOnline(device.deviceId);
  }
  try {
    const result = await link.invokeMethod({
      methodName: request.methodName,
      payload: request.payload,
      responseTimeoutMs: request.responseTimeoutInSeconds * 1000,
    });
    record(result.status >= 200 && result.status < 300 ? 'succeeded' : 'failed');
    return result;
  } catch (error) {
    record(outcomeOfError(error));
    throw error;
  }
}

/** How often a method waiting for its device to connect looks again. */
const connectCheckMs = 50;

/**
 * The device's connection, waited for up to `connectTimeoutInSeconds` as the hub waits for a
 * disconnected device to connect (and subscribe to methods) before answering 404103. A device
 * that cannot connect (disabled, switched off line) is not waited for.
 */
async function linkWithin(
  links: DeviceLinks,
  device: DeviceState,
  timeoutMs: number,
  delays: Delays,
): Promise<DeviceLink | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const link = links.get(device.deviceId);
    if (link?.acceptsMethods() || device.$.forcedOffline || device.status === 'disabled') {
      return link;
    }
    const leftMs = deadline - Date.now();
    if (leftMs <= 0) return link;
    await delays.wait(Math.min(connectCheckMs, leftMs));
  }
}

function outcomeOfError(error: unknown): OperationOutcome {
  if (error instanceof HubError && error.code === 404103) return 'offline';
  if (error instanceof HubError && error.status === 504) return 'timedOut';
  return 'failed';
}
