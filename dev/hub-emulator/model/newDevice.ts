import { hubErrors } from '../hubError';
import type { DeviceStatus } from './deviceState';
import { isJsonObject } from './twinPatch';

// The identity registry's device-id alphabet (docs/iothub.md, Job ids and names), up to 128 characters.
const DEVICE_ID = /^[A-Za-z0-9\-.%_*?!(),:=@$'+#;]{1,128}$/;
const AUTHENTICATION_TYPES = new Set(['sas', 'selfSigned', 'certificateAuthority', 'none']);

export interface NewDeviceRequest {
  status: DeviceStatus;
  authenticationType: string;
  explicitKeys?: { primaryKey: string; secondaryKey: string };
}

function parseStatus(value: unknown): DeviceStatus {
  if (value === undefined || value === null) return 'enabled';
  if (value === 'enabled' || value === 'disabled') return value;
  throw hubErrors.argumentInvalid(`status must be 'enabled' or 'disabled'.`);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function parseKeys(authentication: Record<string, unknown>): NewDeviceRequest['explicitKeys'] {
  const symmetricKey = authentication.symmetricKey;
  if (!isJsonObject(symmetricKey)) return undefined;
  const primaryKey = nonEmptyString(symmetricKey.primaryKey);
  const secondaryKey = nonEmptyString(symmetricKey.secondaryKey);
  if (primaryKey === undefined && secondaryKey === undefined) return undefined;
  if (primaryKey === undefined || secondaryKey === undefined) {
    throw hubErrors.argumentInvalid(
      'Give both symmetric keys or neither (the hub generates them).',
    );
  }
  return { primaryKey, secondaryKey };
}

/** Reads the body of `PUT /devices/{id}`; empty keys mean "generate them". */
export function parseNewDevice(deviceId: string, body: unknown): NewDeviceRequest {
  if (!DEVICE_ID.test(deviceId)) {
    throw hubErrors.argumentInvalid(`'${deviceId.slice(0, 140)}' is not a valid device id.`);
  }
  const device = body === undefined || body === null ? {} : body;
  if (!isJsonObject(device)) throw hubErrors.argumentInvalid('The device must be a JSON object.');
  if (device.deviceId !== undefined && device.deviceId !== deviceId) {
    throw hubErrors.argumentInvalid('The deviceId in the body differs from the one in the path.');
  }
  const authentication = isJsonObject(device.authentication) ? device.authentication : {};
  const type = authentication.type ?? 'sas';
  if (typeof type !== 'string' || !AUTHENTICATION_TYPES.has(type)) {
    throw hubErrors.argumentInvalid(`Unknown authentication type ${JSON.stringify(type)}.`);
  }
  const explicitKeys = type === 'sas' ? parseKeys(authentication) : undefined;
  return {
    status: parseStatus(device.status),
    authenticationType: type,
    ...(explicitKeys ? { explicitKeys } : {}),
  };
}
