import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HubAdminClient } from '../../../dev/hub-emulator/adminClient';
import {
  startHubEmulator,
  type RunningHubEmulator,
  type StartHubEmulatorOptions,
} from '../../../dev/hub-emulator/server';
import { AzureHubJobGateway } from '../../../src/hub/AzureHubJobGateway';
import { createHubClients, type HubClients } from '../../../src/hub/createHubClients';
import type { HubRequestGate } from '../../../src/hub/hubRequestGate';
import type { HubRetryOptions } from '../../../src/hub/withHubRetry';
import type { HubJobGateway, HubJobSnapshot } from '../../../src/jobs/ports';

/** Reused across runs: creating a certificate costs a key generation. */
const certDir = path.join(tmpdir(), 'hubjobs-test-hub-gateway-cert');

export interface GatewayTestHub {
  emulator: RunningHubEmulator;
  admin: HubAdminClient;
  /** Plain SDK clients, to check what the hub holds without going through the gateway. */
  clients: HubClients;
  /**
   * A gateway with fresh SDK clients; retries sleep through `options.sleep` when given, and every
   * request passes `requestGate` when given.
   */
  gateway(options?: Partial<HubRetryOptions>, requestGate?: HubRequestGate): AzureHubJobGateway;
  close(): Promise<void>;
}

/** Fast defaults for tests: short waits, a timeout far above a local answer. */
export const testRetryOptions: Partial<HubRetryOptions> = {
  retries: 3,
  baseDelayMs: 10,
  maxDelayMs: 2000,
  callTimeoutMs: 5000,
};

export async function startGatewayTestHub(
  options: StartHubEmulatorOptions = {},
): Promise<GatewayTestHub> {
  const emulator = await startHubEmulator({ certDir, log: () => undefined, ...options });
  const ca = await readFile(emulator.caFile);
  const connection = {
    connectionString: emulator.connectionString,
    endpoint: emulator.endpoint,
    ca,
  };
  return {
    emulator,
    admin: new HubAdminClient(connection),
    clients: createHubClients(connection),
    gateway: (retryOptions = {}, requestGate) =>
      new AzureHubJobGateway(
        createHubClients(connection),
        { ...testRetryOptions, ...retryOptions },
        requestGate,
      ),
    close: () => emulator.close(),
  };
}

const terminal = new Set(['completed', 'failed', 'cancelled']);

/** Polls the hub until the job ends; bounded by `timeoutMs`. */
export async function waitForJobEnd(
  gateway: HubJobGateway,
  jobId: string,
  timeoutMs = 15_000,
): Promise<HubJobSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await gateway.getJob(jobId);
    if (terminal.has(snapshot.status)) return snapshot;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${snapshot.status}`);
    await sleep(20);
  }
}

/** Polls `probe` until it yields true; bounded by `timeoutMs`. */
export async function waitUntil(
  description: string,
  probe: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await sleep(20);
  }
}
