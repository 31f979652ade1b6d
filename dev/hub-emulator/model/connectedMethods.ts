import { HubError, hubErrors } from '../hubError';
import type { DeviceLinks } from './deviceLinks';
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
): Promise<MethodResult> {
  const link = links.get(device.deviceId);
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

function outcomeOfError(error: unknown): OperationOutcome {
  if (error instanceof HubError && error.code === 404103) return 'offline';
  if (error instanceof HubError && error.status === 504) return 'timedOut';
  return 'failed';
}
