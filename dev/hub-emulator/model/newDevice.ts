import { hubErrors } from '../hubError';
import type { DeviceStatus, Thumbprints } from './deviceState';
import { isJsonObject } from './twinPatch';
import type { JsonObject } from './types';

// The identity registry's device-id alphabet (docs/iothub.md, Job ids and names), up to 128 characters.
const DEVICE_ID = /^[A-Za-z0-9\-.%_*?!(),:=@$'+#;]{1,128}$/;
const AUTHENTICATION_TYPES = new Set(['sas', 'selfSigned', 'certificateAuthority', 'none']);
/** SHA-1 (40) or SHA-256 (64) hex digits, as the hub accepts thumbprints. */
const THUMBPRINT = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/;
const MAX_STATUS_REASON = 128;

/** The identity fields of a `PUT /devices/{id}` body (create or update) or a bulk entry. */
export interface NewDeviceRequest {
  status: DeviceStatus;
  statusReason?: string;
  authenticationType: string;
  explicitKeys?: { primaryKey: string; secondaryKey: string };
  thumbprints?: Thumbprints;
  iotEdge: boolean;
  /** For a leaf device, the scope of its parent edge device; edge devices get theirs generated. */
  deviceScope?: string;
  parentScopes: string[];
}

function parseStatus(value: unknown): DeviceStatus {
  if (value === undefined || value === null) return 'enabled';
  if (value === 'enabled' || value === 'disabled') return value;
  throw hubErrors.argumentInvalid(`status must be 'enabled' or 'disabled'.`);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function parseKeys(authentication: JsonObject): NewDeviceRequest['explicitKeys'] {
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

function thumbprint(value: unknown, name: string): string | null {
  const text = nonEmptyString(value);
  if (text === undefined) return null;
  if (!THUMBPRINT.test(text)) {
    throw hubErrors.argumentInvalid(`${name} must be 40 or 64 hexadecimal digits.`);
  }
  return text;
}

/** A self-signed device needs a primary thumbprint; the secondary one is optional. */
function parseThumbprints(authentication: JsonObject): Thumbprints {
  const given = isJsonObject(authentication.x509Thumbprint) ? authentication.x509Thumbprint : {};
  const primaryThumbprint = thumbprint(given.primaryThumbprint, 'primaryThumbprint');
  const secondaryThumbprint = thumbprint(given.secondaryThumbprint, 'secondaryThumbprint');
  if (primaryThumbprint === null) {
    throw hubErrors.argumentInvalid('A selfSigned device needs x509Thumbprint.primaryThumbprint.');
  }
  return { primaryThumbprint, secondaryThumbprint };
}

function parseAuthentication(device: JsonObject) {
  const authentication = isJsonObject(device.authentication) ? device.authentication : {};
  const type = authentication.type ?? 'sas';
  if (typeof type !== 'string' || !AUTHENTICATION_TYPES.has(type)) {
    throw hubErrors.argumentInvalid(`Unknown authentication type ${JSON.stringify(type)}.`);
  }
  const explicitKeys = type === 'sas' ? parseKeys(authentication) : undefined;
  const thumbprints = type === 'selfSigned' ? parseThumbprints(authentication) : undefined;
  return {
    authenticationType: type,
    ...(explicitKeys ? { explicitKeys } : {}),
    ...(thumbprints ? { thumbprints } : {}),
  };
}

function parseScopes(device: JsonObject, iotEdge: boolean) {
  const { deviceScope, parentScopes } = device;
  if (deviceScope !== undefined && deviceScope !== null && typeof deviceScope !== 'string') {
    throw hubErrors.argumentInvalid('deviceScope must be a string.');
  }
  const parents = parentScopes ?? [];
  if (!Array.isArray(parents) || parents.some((scope) => typeof scope !== 'string')) {
    throw hubErrors.argumentInvalid('parentScopes must be a list of scope strings.');
  }
  const scope = nonEmptyString(deviceScope);
  // A leaf device's parent is its deviceScope; an edge device's own scope is generated.
  if (!iotEdge)
    return { ...(scope ? { deviceScope: scope } : {}), parentScopes: scope ? [scope] : [] };
  return { parentScopes: parents as string[] };
}

function parseStatusReason(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_STATUS_REASON) {
    throw hubErrors.argumentInvalid(
      `statusReason must be text of at most ${MAX_STATUS_REASON} characters.`,
    );
  }
  return value;
}

/** Reads a device identity body; empty keys mean "generate them" (or, on update, "keep them"). */
export function parseNewDevice(deviceId: string, body: unknown): NewDeviceRequest {
  if (!DEVICE_ID.test(deviceId)) {
    throw hubErrors.argumentInvalid(`'${deviceId.slice(0, 140)}' is not a valid device id.`);
  }
  const device = body === undefined || body === null ? {} : body;
  if (!isJsonObject(device)) throw hubErrors.argumentInvalid('The device must be a JSON object.');
  if (device.deviceId !== undefined && device.deviceId !== deviceId) {
    throw hubErrors.argumentInvalid('The deviceId in the body differs from the one in the path.');
  }
  const capabilities = isJsonObject(device.capabilities) ? device.capabilities : {};
  if (capabilities.iotEdge !== undefined && typeof capabilities.iotEdge !== 'boolean') {
    throw hubErrors.argumentInvalid('capabilities.iotEdge must be true or false.');
  }
  const iotEdge = capabilities.iotEdge === true;
  const statusReason = parseStatusReason(device.statusReason);
  return {
    status: parseStatus(device.status),
    ...(statusReason === undefined ? {} : { statusReason }),
    ...parseAuthentication(device),
    iotEdge,
    ...parseScopes(device, iotEdge),
  };
}
