import type { DeviceState } from './deviceState';
import type { JsonObject, MethodResult } from './types';

/** A method call as it travels to a connected device. */
export interface LinkMethodCall {
  methodName: string;
  payload: unknown;
  responseTimeoutMs: number;
}

/**
 * A device's live connection (MQTT). The model hands it methods and desired patches; the
 * transport answers for the device.
 */
export interface DeviceLink {
  /**
   * Resolves with the device's answer. Rejects with a HubError: 404103 when the device is gone
   * or never asked for methods, 504 when it does not answer in time or drops the connection
   * after the request went out.
   */
  invokeMethod(call: LinkMethodCall): Promise<MethodResult>;
  /** Connected and subscribed to method requests: a method sent now reaches the device. */
  acceptsMethods(): boolean;
  /** Sends a desired-properties change, `$version` included (dropped unless subscribed). */
  sendDesired(patch: JsonObject): void;
  /** Ends the connection: the device was deleted, and the hub drops a deleted device's link. */
  drop(): void;
}

export type UnconnectedDevices = 'simulated' | 'offline';

/**
 * Which devices are connected right now, and which have connected at all in this run. A device
 * that has connected once is a real device: while disconnected it is offline, never simulated.
 */
export class DeviceLinks {
  private readonly live = new Map<string, DeviceLink>();
  private readonly known = new Set<string>();

  constructor(private readonly unconnected: UnconnectedDevices) {}

  attach(deviceId: string, link: DeviceLink): void {
    this.live.set(deviceId, link);
    this.known.add(deviceId);
  }

  /** Only the link that is current: a takeover by a newer connection is left alone. */
  detach(deviceId: string, link: DeviceLink): boolean {
    if (this.live.get(deviceId) !== link) return false;
    this.live.delete(deviceId);
    return true;
  }

  get(deviceId: string): DeviceLink | undefined {
    return this.live.get(deviceId);
  }

  /** True when the device's operations go to a connection (or fail for the want of one). */
  isReal(device: DeviceState): boolean {
    return (
      this.unconnected === 'offline' ||
      this.live.has(device.deviceId) ||
      this.known.has(device.deviceId)
    );
  }

  /** The connection state a device starts with before anything connects. */
  get initialState(): 'Connected' | 'Disconnected' {
    return this.unconnected === 'offline' ? 'Disconnected' : 'Connected';
  }
}
