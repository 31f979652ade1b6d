import { once } from 'node:events';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { tierLimits, type HubEmulatorOptions, type TierLimits } from '../options';
import type { AccessPolicy } from './auth';
import type { ErrorFormat } from './errorBody';
import { FaultInjector } from './faults';
import type { HubModelPort } from './modelPort';
import { HubRateLimits } from './rateLimits';
import { defaultMaxBodyBytes } from './requestBody';
import { RequestCounter } from './requestCounter';
import { createRequestHandler } from './requestHandler';

/** Options of the HTTP surface that the model does not care about. */
export interface HubHttpOptions {
  /** Accept `Authorization: Bearer <token>` without checking it. Default true. */
  acceptBearer?: boolean;
  /** Delay every hub answer by this much (benchmarks simulate a real hub at ~50 ms). Default 0. */
  responseLatencyMs?: number;
  /** Scales the per-unit rates (jobs operations, queries). Default 1. */
  units?: number;
  /** Request bodies above this answer 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Where unexpected errors are reported (never secrets). Default: stderr. */
  log?: (line: string) => void;
}

export interface HubServerSetup {
  model: HubModelPort;
  policies: readonly AccessPolicy[];
  tls: { cert: string; key: string };
  options: HubEmulatorOptions & HubHttpOptions;
}

export interface HubServer {
  port: number;
  faults: FaultInjector;
  requests: RequestCounter;
  /** The listening server, for MQTT over WebSocket (its `upgrade` event). */
  httpsServer: https.Server;
  close(): Promise<void>;
}

/** Serves the hub contract and the admin API over HTTPS on 127.0.0.1. */
export async function startHubServer(setup: HubServerSetup): Promise<HubServer> {
  const { options } = setup;
  const shutdown = new AbortController();
  const faults = new FaultInjector();
  const requests = new RequestCounter();
  const handler = createRequestHandler({
    model: setup.model,
    faults,
    requests,
    authorization: { policies: setup.policies, acceptBearer: options.acceptBearer ?? true },
    errorFormat: options.errorFormat ?? ('current' satisfies ErrorFormat),
    rateLimits: new HubRateLimits(effectiveLimits(options), options.units ?? 1),
    maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
    responseLatencyMs: options.responseLatencyMs ?? 0,
    wait: (ms) => sleep(ms, undefined, { signal: shutdown.signal }),
    shutdown: shutdown.signal,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  });
  const server = https.createServer({ ...setup.tls, keepAlive: true }, handler);
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    faults,
    requests,
    httpsServer: server,
    close: async () => {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function effectiveLimits(options: HubEmulatorOptions): TierLimits {
  return { ...tierLimits[options.tier ?? 'S1'], ...options.limits };
}
