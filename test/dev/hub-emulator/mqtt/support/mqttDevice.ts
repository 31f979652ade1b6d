import { createHmac } from 'node:crypto';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import type { RunningHubEmulator } from '../../../../../dev/hub-emulator/server';

/** A SAS token as the device SDK builds it: HMAC over the URL-encoded resource, `\n`, expiry. */
export function sasToken(options: {
  resource: string;
  key: string;
  policyName?: string;
  expiresAtSeconds?: number;
}): string {
  const expiry = options.expiresAtSeconds ?? Math.floor(Date.now() / 1000) + 3600;
  const encoded = encodeURIComponent(options.resource);
  const signature = createHmac('sha256', Buffer.from(options.key, 'base64'))
    .update(`${encoded}\n${expiry}`)
    .digest('base64');
  const policy = options.policyName === undefined ? '' : `&skn=${options.policyName}`;
  return `SharedAccessSignature sr=${encoded}&sig=${encodeURIComponent(signature)}&se=${expiry}${policy}`;
}

export function primaryKeyOf(hub: RunningHubEmulator, deviceId: string): string {
  const device = hub.model.registry.getDevice(deviceId);
  const key = device.authentication.symmetricKey.primaryKey;
  if (key === null) throw new Error(`${deviceId} has no symmetric key`);
  return key;
}

export interface DeviceConnectOptions {
  /** Default: a device SAS signed with the device's primary key. */
  password?: string;
  username?: string;
  /** Default: MQTT over TLS on the hub's MQTT port. */
  url?: string;
}

/** Connects as `deviceId` the way the device SDK does (MQTT 3.1.1, IoT Hub username). */
export function connectDevice(
  hub: RunningHubEmulator,
  ca: Buffer,
  deviceId: string,
  options: DeviceConnectOptions = {},
): Promise<MqttClient> {
  const resource = `${hub.hostName}/devices/${deviceId}`;
  const settings: IClientOptions = {
    clientId: deviceId,
    username: options.username ?? `${hub.hostName}/${deviceId}/?api-version=2021-04-12`,
    password: options.password ?? sasToken({ resource, key: primaryKeyOf(hub, deviceId) }),
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ca,
  };
  if (!hub.mqttEndpoint) throw new Error('the hub runs without its MQTT device side');
  return connectAsync(options.url ?? hub.mqttEndpoint, settings);
}

/** Collects what a device receives, as `topic payload` lines. */
export function inbox(client: MqttClient): string[] {
  const received: string[] = [];
  client.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`));
  return received;
}

/** Answers every method with `answer(methodName, payload)`, as a device app does. */
export async function answerMethods(
  client: MqttClient,
  answer: (methodName: string, payload: unknown) => { status: number; payload: unknown },
): Promise<void> {
  client.on('message', (topic, body) => {
    const match = /^\$iothub\/methods\/POST\/([^/]+)\/\?\$rid=(.+)$/.exec(topic);
    if (!match?.[1] || !match[2]) return;
    const result = answer(match[1], JSON.parse(body.toString()) as unknown);
    client.publish(
      `$iothub/methods/res/${result.status}/?$rid=${match[2]}`,
      JSON.stringify(result.payload),
    );
  });
  await client.subscribeAsync('$iothub/methods/POST/#', { qos: 0 });
}

/** The first message on a topic starting with `prefix`, within the client's own messages. */
export function nextMessage(
  client: MqttClient,
  prefix: string,
): Promise<{ topic: string; body: string }> {
  return new Promise((resolve) => {
    const listener = (topic: string, payload: Buffer) => {
      if (!topic.startsWith(prefix)) return;
      client.off('message', listener);
      resolve({ topic, body: payload.toString() });
    };
    client.on('message', listener);
  });
}
