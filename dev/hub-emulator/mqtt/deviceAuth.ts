import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessPolicy } from '../http/auth';
import { parseSharedAccessSignature } from '../http/auth';
import type { DeviceCredentials } from '../model/deviceSide';

/** Why a device was refused at connect (never the key or the token). */
export class ConnectRefused extends Error {}

export interface ConnectCheck {
  clientId: string;
  username: string | undefined;
  password: Buffer | undefined;
  hostName: string;
  policies: readonly AccessPolicy[];
  credentials(deviceId: string): DeviceCredentials | undefined;
  nowMs: number;
}

/**
 * IoT Hub's MQTT sign-in: client id = device id, username `<hub>/<device>/?api-version=…`,
 * password a SAS for `<hub>/devices/<device>` signed with one of the device's keys, or a
 * policy SAS (`skn`) for the hub or the device. Answers the device id.
 */
export function authenticateDevice(check: ConnectCheck): string {
  const deviceId = check.clientId;
  const [userHost, userDevice] = (check.username ?? '').split('/');
  if (!deviceId || deviceId.includes('/'))
    throw new ConnectRefused('client id must be a device id');
  if (!sameHost(userHost, check.hostName) || userDevice !== deviceId) {
    throw new ConnectRefused('username must be <hub host name>/<device id>/?api-version=…');
  }
  const device = check.credentials(deviceId);
  if (!device) throw new ConnectRefused(`device ${deviceId} is not registered`);
  if (!device.enabled) throw new ConnectRefused(`device ${deviceId} is disabled`);
  const fields = parseSharedAccessSignature(check.password?.toString('utf8') ?? '');
  const sr = fields?.get('sr');
  const sig = fields?.get('sig');
  const se = fields?.get('se');
  if (!fields || !sr || !sig || !se) throw new ConnectRefused('password must be a SAS token');
  if (!(Number(se) * 1000 > check.nowMs)) throw new ConnectRefused('the SAS token has expired');
  const keys = candidateKeys(check, device, safeDecode(sr).toLowerCase(), fields.get('skn'));
  if (!keys.some((key) => key !== undefined && signedWith(key, sr, se, sig))) {
    throw new ConnectRefused('the SAS token is not valid for this device');
  }
  return deviceId;
}

/** A device key signs for the device only; a policy key for the device or the whole hub. */
function candidateKeys(
  check: ConnectCheck,
  device: DeviceCredentials,
  resource: string,
  policyName: string | undefined,
): (string | undefined)[] {
  const hubResource = check.hostName.toLowerCase();
  const deviceResource = `${hubResource}/devices/${device.deviceId.toLowerCase()}`;
  if (policyName === undefined) {
    return resource === deviceResource ? [device.keys?.primaryKey, device.keys?.secondaryKey] : [];
  }
  if (resource !== deviceResource && resource !== hubResource) return [];
  return [check.policies.find((policy) => policy.name === safeDecode(policyName))?.key];
}

/** The Node SDK signs the URL-encoded `sr`, other SDKs may sign the decoded one. */
function signedWith(key: string, sr: string, se: string, sig: string): boolean {
  const presented = Buffer.from(safeDecode(sig));
  const decoded = safeDecode(sr);
  return [...new Set([sr, decoded, encodeURIComponent(decoded)])].some((resource) => {
    const expected = Buffer.from(
      createHmac('sha256', Buffer.from(key, 'base64'))
        .update(`${resource}\n${se}`)
        .digest('base64'),
    );
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}

function sameHost(candidate: string | undefined, hostName: string): boolean {
  return candidate !== undefined && candidate.toLowerCase() === hostName.toLowerCase();
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
