import type { Server } from 'node:http';
import type { AccessPolicy } from '../http/auth';
import type { HubModel } from '../model';
import { deviceKeys } from '../model/deviceJson';
import { startDeviceEndpoint, type DeviceEndpoint } from './deviceEndpoint';

/** The device side's options (off unless `mqttPort` is given). */
export interface DeviceSideOptions {
  /** MQTT over TLS on this 127.0.0.1 port (0 = a free one); absent = no device side. */
  mqttPort?: number;
  /** The device whose connection string the info file carries; registered if absent. */
  mqttDeviceId?: string;
}

/** What the info file gains when the device side is on. Holds a device key: never print it. */
export interface DeviceSideInfo {
  mqttEndpoint: string;
  mqttWebSocketEndpoint: string;
  deviceId: string;
  deviceConnectionString: string;
}

export interface RunningDeviceSide {
  info: DeviceSideInfo;
  endpoint: DeviceEndpoint;
}

export const defaultMqttDeviceId = 'myDeviceId';

export async function startDeviceSide(setup: {
  options: DeviceSideOptions;
  model: HubModel;
  hostName: string;
  policies: readonly AccessPolicy[];
  tls: { cert: string; key: string };
  httpsServer: Server;
  httpsPort: number;
  log: (line: string) => void;
}): Promise<RunningDeviceSide> {
  const { model, hostName } = setup;
  const deviceId = setup.options.mqttDeviceId ?? defaultMqttDeviceId;
  if (!model.registry.store.get(deviceId)) model.registry.createDevice(deviceId, {});
  const device = model.registry.store.get(deviceId);
  if (!device) throw new Error(`the device ${deviceId} could not be registered`);
  const endpoint = await startDeviceEndpoint({
    port: setup.options.mqttPort ?? 0,
    tls: setup.tls,
    httpsServer: setup.httpsServer,
    side: model.registry.deviceSide,
    hostName,
    policies: setup.policies,
    log: setup.log,
  });
  const { primaryKey } = deviceKeys(model.options.seed, device);
  // GatewayHostName is where the SDK dials; HostName stays the SAS audience and username.
  const gateway = `127.0.0.1:${endpoint.port}`;
  return {
    endpoint,
    info: {
      mqttEndpoint: `mqtts://${gateway}`,
      mqttWebSocketEndpoint: `wss://127.0.0.1:${setup.httpsPort}/$iothub/websocket`,
      deviceId,
      deviceConnectionString: `HostName=${hostName};DeviceId=${deviceId};SharedAccessKey=${primaryKey};GatewayHostName=${gateway}`,
    },
  };
}
