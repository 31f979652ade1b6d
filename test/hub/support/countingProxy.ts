import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP pass-through in front of the hub emulator that counts the client connections still
 * open: TLS goes through untouched, and what the client closes, the proxy sees closed.
 */
export interface CountingProxy {
  /** `https://127.0.0.1:<proxy port>`, to use as the hub endpoint. */
  endpoint: string;
  openConnections(): number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: { port: number }): Promise<CountingProxy> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    const upstream = createConnection({ host: '127.0.0.1', port: target.port });
    client.pipe(upstream).pipe(client);
    const closeBoth = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', closeBoth);
    upstream.once('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    openConnections: () => open.size,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
