import { hubErrors } from '../hubError';
import type { DeviceLink, DeviceLinks } from './deviceLinks';
import { deviceKeys, type DeviceKeys } from './deviceJson';
import type { DeviceState } from './deviceState';
import type { DeviceStore } from './deviceStore';
import { applyReportedPatch, desiredNotification, deviceTwinDocument } from './deviceTwin';
import type { Clock, JsonObject } from './types';

/** What a device transport checks a connecting device against. */
export interface DeviceCredentials {
  deviceId: string;
  enabled: boolean;
  /** Only for devices that authenticate with symmetric keys. */
  keys?: DeviceKeys;
}

/** The registry as a device transport sees it: credentials, connections, the device's twin. */
export class DeviceSide {
  constructor(
    private readonly store: DeviceStore,
    private readonly links: DeviceLinks,
    private readonly clock: Clock,
    private readonly seed: number,
  ) {}

  credentials(deviceId: string): DeviceCredentials | undefined {
    const device = this.store.get(deviceId);
    if (!device) return undefined;
    const usesKeys = device.$.authenticationType === 'sas';
    return {
      deviceId,
      enabled: device.status === 'enabled',
      ...(usesKeys ? { keys: deviceKeys(this.seed, device) } : {}),
    };
  }

  connected(deviceId: string, link: DeviceLink): void {
    const device = this.existing(deviceId);
    this.links.attach(deviceId, link);
    this.setState(device, 'Connected');
  }

  disconnected(deviceId: string, link: DeviceLink): void {
    const device = this.store.get(deviceId);
    if (this.links.detach(deviceId, link) && device) this.setState(device, 'Disconnected');
  }

  twin(deviceId: string): JsonObject {
    const device = this.existing(deviceId);
    device.$.lastActivityAt = this.clock.now();
    return deviceTwinDocument(device);
  }

  /** Answers the new reported version. */
  reportProperties(deviceId: string, patch: unknown): number {
    return applyReportedPatch(this.existing(deviceId), patch, this.clock.now());
  }

  /** For twin writes: a real device is told (when connected and not switched off) and never echoed. */
  readonly deliverDesired = (device: DeviceState, change: JsonObject): boolean => {
    if (!this.links.isReal(device)) return false;
    if (device.$.forcedOffline) return true;
    this.links.get(device.deviceId)?.sendDesired(desiredNotification(device, change));
    return true;
  };

  private setState(device: DeviceState, state: 'Connected' | 'Disconnected'): void {
    const now = this.clock.now();
    device.connectionState = state;
    device.$.connectionStateUpdatedAt = now;
    device.$.lastActivityAt = now;
  }

  private existing(deviceId: string): DeviceState {
    const device = this.store.get(deviceId);
    if (!device) throw hubErrors.deviceNotFound(deviceId);
    return device;
  }
}
