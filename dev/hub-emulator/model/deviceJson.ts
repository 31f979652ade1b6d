import { createHmac } from 'node:crypto';
import { hash32 } from './hash';
import { deviceEtag, type DeviceState, type Thumbprints } from './deviceState';

export interface DeviceKeys {
  primaryKey: string;
  secondaryKey: string;
}

export interface DeviceJson {
  deviceId: string;
  generationId: string;
  etag: string;
  connectionState: string;
  status: string;
  statusReason: string | null;
  connectionStateUpdatedTime: string;
  statusUpdatedTime: string;
  lastActivityTime: string;
  cloudToDeviceMessageCount: number;
  authentication: AuthenticationJson;
  capabilities: { iotEdge: boolean };
  deviceScope?: string;
  parentScopes: string[];
}

function derivedKey(seed: number, deviceId: string, which: string): string {
  return createHmac('sha256', `hubjobs-emulator-device-keys:${seed}`)
    .update(`${deviceId}:${which}`)
    .digest('base64');
}

/** Keys are derived when asked for, so a large fleet holds none in memory. */
export function deviceKeys(seed: number, state: DeviceState): DeviceKeys {
  return (
    state.$.explicitKeys ?? {
      primaryKey: derivedKey(seed, state.deviceId, 'primary'),
      secondaryKey: derivedKey(seed, state.deviceId, 'secondary'),
    }
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function generationIdOf(seed: number, deviceId: string, order: number): string {
  return `6${String(hash32('generation', seed, deviceId, order)).padStart(17, '0')}`;
}

/** An edge device's own scope, fixed at creation as the hub does. */
export function edgeDeviceScope(seed: number, deviceId: string, order: number): string {
  return `ms-azure-iot-edge://${deviceId}-${generationIdOf(seed, deviceId, order)}`;
}

const NO_THUMBPRINTS: Thumbprints = { primaryThumbprint: null, secondaryThumbprint: null };

export function thumbprintsOf(state: DeviceState): Thumbprints {
  return { ...(state.$.thumbprints ?? NO_THUMBPRINTS) };
}

/** A device's or a module's `authentication`: its type, its keys (SAS only), its thumbprints. */
export interface AuthenticationJson {
  type: string;
  symmetricKey: { primaryKey: string | null; secondaryKey: string | null };
  x509Thumbprint: Thumbprints;
}

export function authenticationJsonOf(
  state: DeviceState,
  keys: { primaryKey: string; secondaryKey: string } | undefined,
): AuthenticationJson {
  return {
    type: state.$.authenticationType,
    symmetricKey: {
      primaryKey: keys?.primaryKey ?? null,
      secondaryKey: keys?.secondaryKey ?? null,
    },
    x509Thumbprint: thumbprintsOf(state),
  };
}

/** The Device JSON of `PUT/GET /devices/{id}`. */
export function toDeviceJson(seed: number, state: DeviceState): DeviceJson {
  const internals = state.$;
  const usesKeys = internals.authenticationType === 'sas';
  const keys = usesKeys ? deviceKeys(seed, state) : undefined;
  return {
    deviceId: state.deviceId,
    generationId: generationIdOf(seed, state.deviceId, internals.order),
    etag: deviceEtag(state),
    connectionState: state.connectionState,
    status: state.status,
    statusReason: internals.statusReason ?? null,
    connectionStateUpdatedTime: iso(internals.connectionStateUpdatedAt),
    statusUpdatedTime: iso(internals.statusUpdatedAt),
    lastActivityTime: iso(internals.lastActivityAt),
    cloudToDeviceMessageCount: 0,
    authentication: authenticationJsonOf(state, keys),
    capabilities: { iotEdge: internals.iotEdge === true },
    ...(internals.deviceScope !== undefined ? { deviceScope: internals.deviceScope } : {}),
    parentScopes: [...(internals.parentScopes ?? [])],
  };
}
