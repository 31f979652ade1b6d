import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HubAdminClient } from '../../dev/hub-emulator/adminClient';
import type { HubRouteName } from '../../dev/hub-emulator/http/routes';
import {
  startHubEmulator,
  type RunningHubEmulator,
  type StartHubEmulatorOptions,
} from '../../dev/hub-emulator/server';
import { startAzurite, type AzuriteOptions, type RunningAzurite } from '../../test/support/azurite';

/** Reused across runs: generating the emulator's certificate costs a key pair. */
const certDir = path.join(tmpdir(), 'hubjobs-bench-cert');

/** Azurite (in memory unless given a folder) and the IoT Hub emulator, on free 127.0.0.1 ports. */
export interface BenchStack {
  azurite: RunningAzurite;
  hub: RunningHubEmulator;
  admin: HubAdminClient;
  /** App settings for this stack (fresh table and queue names on every call), plus `overrides`. */
  appEnv(overrides?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startBenchStack(
  hubOptions: StartHubEmulatorOptions,
  azuriteOptions: AzuriteOptions = {},
): Promise<BenchStack> {
  const azurite = await startAzurite(azuriteOptions);
  let hub: RunningHubEmulator;
  try {
    hub = await startHubEmulator({ certDir, log: () => undefined, ...hubOptions });
  } catch (error) {
    await azurite.stop();
    throw error;
  }
  const admin = new HubAdminClient({
    endpoint: hub.endpoint,
    connectionString: hub.connectionString,
    ca: await readFile(hub.caFile),
  });
  const appEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    AzureWebJobsStorage: azurite.connectionString,
    IOTHUB_CONNECTION_STRING: hub.connectionString,
    IOTHUB_ENDPOINT: hub.endpoint,
    IOTHUB_CA_FILE: hub.caFile,
    HUB_TIER: hubOptions.tier ?? 'S1',
    TABLE_PREFIX: `b${uniqueSuffix()}`,
    JOB_REQUESTS_QUEUE: `b${uniqueSuffix()}`,
    ...overrides,
  });
  return {
    azurite,
    hub,
    admin,
    appEnv,
    close: async () => {
      await hub.close();
      await azurite.stop();
    },
  };
}

function uniqueSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

/** Hub requests the emulator has counted since the last reset, on `routes` (all hub routes). */
export async function countHubRequests(
  admin: HubAdminClient,
  routes?: readonly HubRouteName[],
): Promise<number> {
  const counts = await admin.requestCounts();
  return Object.entries(counts)
    .filter(([route]) => routes === undefined || routes.includes(route as HubRouteName))
    .reduce((sum, [, count]) => sum + (count ?? 0), 0);
}
