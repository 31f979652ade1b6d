import type { StoredBehaviour } from './behaviourSpec';
import type { JsonObject } from './types';

export type DeviceStatus = 'enabled' | 'disabled';
export type ConnectionState = 'Connected' | 'Disconnected';

export interface Thumbprints {
  primaryThumbprint: string | null;
  secondaryThumbprint: string | null;
}

/** Bookkeeping the query language can never reach: it refuses `$` names. */
export interface DeviceInternals {
  /** Registration order; continuation tokens resume after it. */
  order: number;
  createdAt: number;
  deviceEtagVersion: number;
  desiredVersion: number;
  reportedVersion: number;
  tagsUpdatedAt: number;
  desiredUpdatedAt: number;
  reportedUpdatedAt: number;
  statusUpdatedAt: number;
  connectionStateUpdatedAt: number;
  lastActivityAt: number;
  /** Direct calls so far; the attempt number of the next direct call. */
  directCalls: number;
  forcedOffline: boolean;
  /** A sticky behaviour set through the admin API; absent = the seeded behaviour. */
  behaviour?: StoredBehaviour;
  deleted: boolean;
  authenticationType: string;
  /** Keys the caller supplied; otherwise keys derive from the seed when asked for. */
  explicitKeys?: { primaryKey: string; secondaryKey: string };
  /** X.509 thumbprints of a `selfSigned` device. */
  thumbprints?: Thumbprints;
  statusReason?: string;
  iotEdge?: boolean;
  /** A leaf device's parent scope; an edge device's own scope is derived (deviceJson). */
  deviceScope?: string;
  parentScopes?: string[];
}

/**
 * One device with its twin. Its public fields are named as in the Twin JSON so that query
 * conditions run over the state itself, without building a twin per row.
 */
export interface DeviceState {
  readonly deviceId: string;
  etag: string;
  version: number;
  status: DeviceStatus;
  connectionState: ConnectionState;
  tags: JsonObject;
  properties: { desired: JsonObject; reported: JsonObject };
  readonly $: DeviceInternals;
}

export interface NewDeviceState {
  deviceId: string;
  order: number;
  now: number;
  status?: DeviceStatus;
  authenticationType?: string;
  tags?: JsonObject;
  desired?: JsonObject;
  reported?: JsonObject;
  explicitKeys?: { primaryKey: string; secondaryKey: string };
  thumbprints?: Thumbprints;
  statusReason?: string;
  iotEdge?: boolean;
  deviceScope?: string;
  parentScopes?: string[];
}

const FIRST_TWIN_ETAG = 'AAAAAAAAAAE=';

/** Twin etags look like the hub's: base64 of an 8-byte counter. */
export function twinEtag(version: number): string {
  if (version === 1) return FIRST_TWIN_ETAG;
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(Math.floor(version / 2 ** 32), 0);
  bytes.writeUInt32BE(version % 2 ** 32, 4);
  return bytes.toString('base64');
}

export function deviceEtag(state: DeviceState): string {
  return Buffer.from(String(state.$.deviceEtagVersion)).toString('base64');
}

export function createDeviceState(init: NewDeviceState): DeviceState {
  const { now } = init;
  return {
    deviceId: init.deviceId,
    etag: twinEtag(1),
    version: 1,
    status: init.status ?? 'enabled',
    connectionState: 'Connected',
    tags: init.tags ?? {},
    properties: { desired: init.desired ?? {}, reported: init.reported ?? {} },
    $: {
      order: init.order,
      createdAt: now,
      deviceEtagVersion: 1,
      desiredVersion: 1,
      reportedVersion: 1,
      tagsUpdatedAt: now,
      desiredUpdatedAt: now,
      reportedUpdatedAt: now,
      statusUpdatedAt: now,
      connectionStateUpdatedAt: now,
      lastActivityAt: now,
      directCalls: 0,
      forcedOffline: false,
      deleted: false,
      authenticationType: init.authenticationType ?? 'sas',
      ...(init.explicitKeys ? { explicitKeys: init.explicitKeys } : {}),
      ...identityFields(init),
    },
  };
}

/** Records one change of the twin: a new version and a new etag. */
export function bumpTwinVersion(state: DeviceState): void {
  state.version += 1;
  state.etag = twinEtag(state.version);
}

/** The optional identity fields, present only when set (so a seeded fleet stays small). */
export function identityFields(init: Omit<NewDeviceState, 'deviceId' | 'order' | 'now'>) {
  return {
    ...(init.thumbprints ? { thumbprints: init.thumbprints } : {}),
    ...(init.statusReason !== undefined ? { statusReason: init.statusReason } : {}),
    ...(init.iotEdge ? { iotEdge: true } : {}),
    ...(init.deviceScope !== undefined ? { deviceScope: init.deviceScope } : {}),
    ...(init.parentScopes && init.parentScopes.length > 0
      ? { parentScopes: [...init.parentScopes] }
      : {}),
  };
}
