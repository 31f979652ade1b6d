import { thumbprintsOf } from './deviceJson';
import { deviceEtag, type DeviceState, type Thumbprints } from './deviceState';
import type { JsonObject, JsonValue } from './types';

export interface TwinJson {
  deviceId: string;
  etag: string;
  deviceEtag: string;
  version: number;
  status: string;
  statusUpdateTime: string;
  connectionState: string;
  lastActivityTime: string;
  cloudToDeviceMessageCount: number;
  authenticationType: string;
  x509Thumbprint: Thumbprints;
  modelId: string;
  capabilities: { iotEdge: boolean };
  deviceScope?: string;
  parentScopes?: string[];
  tags: JsonObject;
  properties: { desired: JsonObject; reported: JsonObject };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sectionWithMetadata(section: JsonObject, version: number, updatedAt: number): JsonObject {
  const lastUpdated = iso(updatedAt);
  const metadata: JsonObject = { $lastUpdated: lastUpdated };
  for (const key of Object.keys(section)) {
    metadata[key] = { $lastUpdated: lastUpdated, $lastUpdatedVersion: version };
  }
  return { ...deepCopy(section), $metadata: metadata, $version: version };
}

/** A copy of a JSON value; much faster than structuredClone for the small objects of a twin. */
export function deepCopy<T extends JsonValue>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => deepCopy(item)) as T;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) copy[key] = deepCopy(value[key] as JsonValue);
  return copy as T;
}

/** The Twin JSON of `GET /twins/{id}` and of `SELECT * FROM devices`. */
export function toTwinJson(state: DeviceState): TwinJson {
  const internals = state.$;
  return {
    deviceId: state.deviceId,
    etag: state.etag,
    deviceEtag: deviceEtag(state),
    version: state.version,
    status: state.status,
    statusUpdateTime: iso(internals.statusUpdatedAt),
    connectionState: state.connectionState,
    lastActivityTime: iso(internals.lastActivityAt),
    cloudToDeviceMessageCount: 0,
    authenticationType: internals.authenticationType,
    x509Thumbprint: thumbprintsOf(state),
    modelId: '',
    capabilities: { iotEdge: internals.iotEdge === true },
    ...(internals.deviceScope !== undefined ? { deviceScope: internals.deviceScope } : {}),
    ...(internals.parentScopes ? { parentScopes: [...internals.parentScopes] } : {}),
    tags: deepCopy(state.tags),
    properties: {
      desired: sectionWithMetadata(
        state.properties.desired,
        internals.desiredVersion,
        internals.desiredUpdatedAt,
      ),
      reported: sectionWithMetadata(
        state.properties.reported,
        internals.reportedVersion,
        internals.reportedUpdatedAt,
      ),
    },
  };
}
