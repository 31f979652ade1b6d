import { hubErrors } from '../hubError';
import { bumpTwinVersion, type DeviceState } from './deviceState';
import { deepCopy } from './twinJson';
import { isJsonObject, mergeInto, optionalSection } from './twinPatch';
import type { JsonObject } from './types';

const MAX_REPORTED_BYTES = 32 * 1024;

/** The twin as a device reads it (`$iothub/twin/GET`): both property sections with `$version`. */
export function deviceTwinDocument(device: DeviceState): JsonObject {
  return {
    desired: { ...deepCopy(device.properties.desired), $version: device.$.desiredVersion },
    reported: { ...deepCopy(device.properties.reported), $version: device.$.reportedVersion },
  };
}

/** The desired change a device is told about, with the new desired `$version`. */
export function desiredNotification(device: DeviceState, change: JsonObject): JsonObject {
  return { ...deepCopy(change), $version: device.$.desiredVersion };
}

/**
 * A device's reported-properties patch (objects merge, `null` deletes), with the hub's name
 * rules and 32 KB cap. Answers the new reported version; throws 400 on a bad patch.
 */
export function applyReportedPatch(device: DeviceState, patch: unknown, now: number): number {
  if (!isJsonObject(patch))
    throw hubErrors.argumentInvalid('The reported patch must be a JSON object.');
  const checked = optionalSection(patch, 'properties.reported') ?? {};
  const next = deepCopy(device.properties.reported);
  mergeInto(next, checked);
  if (Buffer.byteLength(JSON.stringify(next)) > MAX_REPORTED_BYTES) {
    throw hubErrors.argumentInvalid('The reported properties would be larger than 32 KB.');
  }
  device.properties.reported = next;
  device.$.reportedVersion += 1;
  device.$.reportedUpdatedAt = now;
  device.$.lastActivityAt = now;
  bumpTwinVersion(device);
  return device.$.reportedVersion;
}
