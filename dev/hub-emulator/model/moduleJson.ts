import { createHmac } from 'node:crypto';
import { authenticationJsonOf, generationIdOf, type AuthenticationJson } from './deviceJson';
import { deviceEtag, type DeviceState } from './deviceState';
import { toTwinJson, type TwinJson } from './twinJson';

/**
 * A module identity: its twin and bookkeeping reuse the device state (its `deviceId` is the
 * device the module lives on), so twin writes and JSON follow the same rules.
 */
export interface ModuleState {
  readonly moduleId: string;
  managedBy: string | null;
  readonly twin: DeviceState;
}

export interface ModuleJson {
  moduleId: string;
  deviceId: string;
  managedBy: string | null;
  generationId: string;
  etag: string;
  connectionState: string;
  connectionStateUpdatedTime: string;
  lastActivityTime: string;
  cloudToDeviceMessageCount: number;
  authentication: AuthenticationJson;
}

/** Generated module keys derive from the seed and both ids, as device keys do. */
export function moduleKeys(seed: number, deviceId: string, moduleId: string) {
  const derive = (which: string) =>
    createHmac('sha256', `hubjobs-emulator-module-keys:${seed}`)
      .update(`${deviceId}/${moduleId}:${which}`)
      .digest('base64');
  return { primaryKey: derive('primary'), secondaryKey: derive('secondary') };
}

export function toModuleJson(seed: number, module: ModuleState): ModuleJson {
  const { twin } = module;
  const keys = twin.$.authenticationType === 'sas' ? twin.$.explicitKeys : undefined;
  return {
    moduleId: module.moduleId,
    deviceId: twin.deviceId,
    managedBy: module.managedBy,
    generationId: generationIdOf(seed, `${twin.deviceId}/${module.moduleId}`, twin.$.order),
    etag: deviceEtag(twin),
    connectionState: 'Disconnected',
    connectionStateUpdatedTime: new Date(twin.$.connectionStateUpdatedAt).toISOString(),
    lastActivityTime: new Date(twin.$.lastActivityAt).toISOString(),
    cloudToDeviceMessageCount: 0,
    authentication: authenticationJsonOf(twin, keys),
  };
}

export function toModuleTwinJson(module: ModuleState): TwinJson & { moduleId: string } {
  const json = toTwinJson(module.twin);
  delete json.deviceScope;
  delete json.parentScopes;
  return { ...json, moduleId: module.moduleId, connectionState: 'Disconnected' };
}
