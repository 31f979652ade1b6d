import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as tls from 'node:tls';
import { DeviceBroker, type DeviceBrokerSetup } from './deviceBroker';
import { serveWebSocket } from './webSocketEndpoint';

export interface DeviceEndpointSetup extends DeviceBrokerSetup {
  /** TCP port on 127.0.0.1 for MQTT over TLS; 0 picks a free one. */
  port: number;
  tls: { cert: string; key: string };
  /** The hub's HTTPS server, which also serves MQTT over WebSocket. */
  httpsServer: Server;
}

export interface DeviceEndpoint {
  port: number;
  broker: DeviceBroker;
  close(): Promise<void>;
}

/** MQTT over TLS with the emulator's certificate, and over WebSocket on the HTTPS port. */
export async function startDeviceEndpoint(setup: DeviceEndpointSetup): Promise<DeviceEndpoint> {
  const broker = await DeviceBroker.create(setup);
  const sockets = new Set<Socket>();
  const server = tls.createServer(setup.tls, (socket) => broker.handle(socket));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A failed TLS handshake is the client's problem (e.g. an untrusted CA), not the hub's.
  server.on('tlsClientError', () => undefined);
  let stopWebSocket: (() => void) | undefined;
  try {
    server.listen(setup.port, '127.0.0.1');
    await once(server, 'listening');
    stopWebSocket = await serveWebSocket(setup.httpsServer, broker);
  } catch (error) {
    server.close();
    await broker.close();
    throw error;
  }
  return {
    port: (server.address() as AddressInfo).port,
    broker,
    close: async () => {
      stopWebSocket?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await broker.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
