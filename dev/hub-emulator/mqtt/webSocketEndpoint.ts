import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DeviceBroker } from './deviceBroker';

/** `MQTT over WebSocket` on the hub's HTTPS port, path `/$iothub/websocket`. */
export async function serveWebSocket(server: Server, broker: DeviceBroker): Promise<() => void> {
  const { WebSocketServer, createWebSocketStream } = await import('ws');
  const sockets = new WebSocketServer({ noServer: true });
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/$iothub/websocket') {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      broker.handle(createWebSocketStream(webSocket), request);
    });
  };
  server.on('upgrade', upgrade);
  return () => {
    server.off('upgrade', upgrade);
    for (const client of sockets.clients) client.terminate();
    sockets.close();
  };
}
