import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Aedes, AuthenticateError, Client } from 'aedes' with { 'resolution-mode': 'import' };
import type { AccessPolicy } from '../http/auth';
import type { DeviceSide } from '../model/deviceSide';
import { authenticateDevice, ConnectRefused } from './deviceAuth';
import { DeviceSession } from './deviceSession';
import { hubErrors } from '../hubError';
import { allowedFilters, desiredChangesFilter, methodRequestsFilter } from './topics';

export interface DeviceBrokerSetup {
  side: DeviceSide;
  hostName: string;
  policies: readonly AccessPolicy[];
  /** Where refusals and broker errors are reported (never a key or a token). */
  log: (line: string) => void;
}

const NOT_AUTHORIZED = 5;

/**
 * The IoT Hub device protocol on an aedes broker. The broker only carries bytes: every device
 * publish is handled here, every hub message is written to one device's connection, and the
 * broker forwards nothing from one client to another.
 */
export class DeviceBroker {
  private readonly sessions = new Map<Client, DeviceSession>();
  /** Topics the hub itself is writing to a client, so that only those pass authorizeForward. */
  private readonly outgoing = new WeakMap<Client, Set<string>>();

  private constructor(
    private readonly setup: DeviceBrokerSetup,
    readonly aedes: Aedes,
  ) {}

  static async create(setup: DeviceBrokerSetup): Promise<DeviceBroker> {
    const { Aedes } = await import('aedes');
    // The hooks need the broker object, which needs the aedes instance they configure.
    const self: { broker?: DeviceBroker } = {};
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) =>
        self.broker?.authenticate(client, username, password, done),
      authorizeSubscribe: (client, subscription, done) => {
        const allowed = allowedFilters(client.id).includes(subscription.topic);
        done(null, allowed ? subscription : null);
      },
      authorizePublish: (client, packet, done) => {
        const session = client ? self.broker?.sessions.get(client) : undefined;
        const handled = session?.receive(packet.topic, packet.payload as Buffer) ?? false;
        done(handled ? null : new Error(`topic not allowed for a device: ${packet.topic}`));
      },
      authorizeForward: (client, packet) =>
        self.broker?.outgoing.get(client)?.delete(packet.topic) ? packet : null,
    });
    const broker = new DeviceBroker(setup, aedes);
    self.broker = broker;
    aedes.on('clientReady', (client) => broker.open(client));
    aedes.on('clientDisconnect', (client) => broker.end(client));
    return broker;
  }

  /** Serves one raw connection (TLS or WebSocket stream). */
  handle(stream: Duplex, request?: IncomingMessage): void {
    this.aedes.handle(stream, request);
  }

  /** Devices connected right now, with whether each listens for methods. */
  connected(): { deviceId: string; methods: boolean; desired: boolean }[] {
    return [...this.sessions.entries()].map(([client, session]) => ({
      deviceId: session.deviceId,
      methods: isSubscribed(client, methodRequestsFilter),
      desired: isSubscribed(client, desiredChangesFilter),
    }));
  }

  /** Calls still waiting for a device answer 503, as every other pending hub call does then. */
  close(): Promise<void> {
    const shutdown = hubErrors.serviceUnavailable('The hub emulator is shutting down.');
    for (const client of [...this.sessions.keys()]) this.end(client, shutdown);
    return new Promise((resolve) => this.aedes.close(() => resolve()));
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    try {
      authenticateDevice({
        clientId: client.id,
        username,
        password,
        hostName: this.setup.hostName,
        policies: this.setup.policies,
        credentials: (deviceId) => this.setup.side.credentials(deviceId),
        nowMs: Date.now(),
      });
      done(null, true);
    } catch (error) {
      const reason = error instanceof ConnectRefused ? error.message : 'internal error';
      this.setup.log(`hub emulator: MQTT connect refused for '${client.id}': ${reason}`);
      const refusal = new Error(reason) as AuthenticateError;
      refusal.returnCode = NOT_AUTHORIZED;
      done(refusal, false);
    }
  }

  private open(client: Client): void {
    const outgoing = new Set<string>();
    this.outgoing.set(client, outgoing);
    const session = new DeviceSession(
      client.id,
      {
        isSubscribed: (filter) => isSubscribed(client, filter),
        send: (topic, payload) => {
          outgoing.add(topic);
          const packet = {
            cmd: 'publish' as const,
            topic,
            payload,
            qos: 0 as const,
            retain: false,
            dup: false,
          };
          // A failed write ends the connection, and with it the session: nothing to do here.
          client.publish(packet, () => undefined);
        },
        close: () => client.close(),
      },
      this.setup.side,
    );
    try {
      this.setup.side.connected(client.id, session);
    } catch {
      // Deleted between its sign-in and now: the hub drops such a connection.
      client.close();
      return;
    }
    this.sessions.set(client, session);
  }

  private end(client: Client, reason?: Error): void {
    const session = this.sessions.get(client);
    if (!session) return;
    this.sessions.delete(client);
    session.close(reason);
    this.setup.side.disconnected(client.id, session);
  }
}

function isSubscribed(client: Client, filter: string): boolean {
  const subscriptions = (client as Client & { subscriptions?: Record<string, unknown> })
    .subscriptions;
  return subscriptions !== undefined && filter in subscriptions;
}
