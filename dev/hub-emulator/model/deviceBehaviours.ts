import { hubErrors } from '../hubError';
import { compileCondition, parseCondition, QuerySyntaxError } from '../query/index';
import {
  parseAdminBody,
  selectorSchema,
  setBehaviourSchema,
  type Behaviour,
  type DeviceSelector,
} from './behaviourSpec';
import type { DeviceState } from './deviceState';
import type { DeviceStore } from './deviceStore';
import type { Clock } from './types';

/** One device whose behaviour differs from the seeded one, as `GET /admin/behaviours` lists it. */
export interface BehaviourEntry {
  deviceId: string;
  behaviour: Behaviour;
}

/**
 * Sticky per-device behaviours (README "Sticky device behaviours"). A condition is evaluated
 * once, when the request arrives: devices registered later keep the seeded behaviour.
 */
export class DeviceBehaviours {
  constructor(
    private readonly store: DeviceStore,
    private readonly clock: Clock,
  ) {}

  /** Replaces the behaviour of every selected device. */
  set(body: unknown): { devices: number } {
    const { behaviour, ...selector } = parseAdminBody(setBehaviourSchema, body, 'behaviour');
    const devices = this.select(selector);
    const { offline, ...stored } = behaviour;
    const now = this.clock.now();
    for (const device of devices) {
      device.$.behaviour = stored;
      switchOnline(device, offline !== true, now);
    }
    return { devices: devices.length };
  }

  /** Back to the seeded behaviour (and online) for the selected devices, or for all of them. */
  clear(body: unknown): { devices: number } {
    const all = body === undefined || (isObject(body) && Object.keys(body).length === 0);
    const devices = all ? this.changed() : this.select(parseSelector(body));
    const now = this.clock.now();
    for (const device of devices) {
      delete device.$.behaviour;
      switchOnline(device, true, now);
    }
    return { devices: devices.length };
  }

  /** The online switch alone, for many devices at once; other behaviours stay. */
  setOnline(body: unknown, online: boolean): { devices: number } {
    const devices = this.select(parseSelector(body));
    const now = this.clock.now();
    for (const device of devices) switchOnline(device, online, now);
    return { devices: devices.length };
  }

  /** Every device with a sticky behaviour or switched offline, in registration order. */
  list(): BehaviourEntry[] {
    return this.changed().map((device) => ({
      deviceId: device.deviceId,
      behaviour: {
        ...device.$.behaviour,
        ...(device.$.forcedOffline ? { offline: true as const } : {}),
      },
    }));
  }

  private changed(): DeviceState[] {
    const devices: DeviceState[] = [];
    for (const device of this.store.after()) {
      if (device.$.behaviour !== undefined || device.$.forcedOffline) devices.push(device);
    }
    return devices;
  }

  /** Every listed device must exist, so a typo changes nothing rather than part of the list. */
  private select(selector: DeviceSelector): DeviceState[] {
    if (selector.deviceIds !== undefined) {
      return [...new Set(selector.deviceIds)].map((deviceId) => {
        const device = this.store.get(deviceId);
        if (!device) throw hubErrors.deviceNotFound(deviceId);
        return device;
      });
    }
    const selects = compileCondition(parsedCondition(selector.condition ?? '*'));
    const devices: DeviceState[] = [];
    for (const device of this.store.after()) if (selects(device)) devices.push(device);
    return devices;
  }
}

/** Takes a device off line or back on; the registry's single-device switch uses it too. */
export function switchOnline(device: DeviceState, online: boolean, now: number): void {
  if (device.$.forcedOffline === !online) return;
  device.$.forcedOffline = !online;
  device.connectionState = online ? 'Connected' : 'Disconnected';
  device.$.connectionStateUpdatedAt = now;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function parseSelector(body: unknown): DeviceSelector {
  return parseAdminBody(selectorSchema, body, 'device selection');
}

function parsedCondition(condition: string) {
  try {
    return parseCondition(condition);
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw hubErrors.genericBadRequest(error.message);
    throw error;
  }
}
