import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { HubAdminClient } from '../../dev/hub-emulator/adminClient';
import {
  startHubEmulator,
  type RunningHubEmulator,
  type StartHubEmulatorOptions,
} from '../../dev/hub-emulator/server';
import { startAzurite, type AzuriteOptions, type RunningAzurite } from './azurite';

/** Azurite and the IoT Hub emulator on free 127.0.0.1 ports, with an admin client for the hub. */
export interface EmulatorStack {
  azurite: RunningAzurite;
  hub: RunningHubEmulator;
  admin: HubAdminClient;
  /** App settings for this stack (fresh table and queue names on every call), plus `overrides`. */
  appEnv(overrides?: Record<string, string>): Record<string, string>;
  /** Closes the hub and stops Azurite, even when closing the hub fails. */
  close: () => Promise<void>;
}

export interface EmulatorStackOptions {
  /** Where the hub keeps its certificate; reused across runs, since generating one costs a key pair. */
  certDir: string;
  /** First letter of the generated table prefix and queue name (tells the callers' data apart). */
  namePrefix: string;
  azurite?: AzuriteOptions;
}

export async function startEmulatorStack(
  hubOptions: StartHubEmulatorOptions,
  options: EmulatorStackOptions,
): Promise<EmulatorStack> {
  const azurite = await startAzurite(options.azurite);
  let hub: RunningHubEmulator;
  try {
    hub = await startHubEmulator({ certDir: options.certDir, log: () => undefined, ...hubOptions });
  } catch (error) {
    await azurite.stop();
    throw error;
  }
  const admin = new HubAdminClient({
    endpoint: hub.endpoint,
    connectionString: hub.connectionString,
    ca: await readFile(hub.caFile),
  });
  const uniqueName = (): string =>
    `${options.namePrefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const appEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    AzureWebJobsStorage: azurite.connectionString,
    IOTHUB_CONNECTION_STRING: hub.connectionString,
    IOTHUB_ENDPOINT: hub.endpoint,
    IOTHUB_CA_FILE: hub.caFile,
    HUB_TIER: hubOptions.tier ?? 'S1',
    TABLE_PREFIX: uniqueName(),
    JOB_REQUESTS_QUEUE: uniqueName(),
    WINDOW_SCHEDULE: '0 * * * * *',
    ...overrides,
  });
  const close = async (): Promise<void> => {
    try {
      await hub.close();
    } finally {
      await azurite.stop();
    }
  };
  return { azurite, hub, admin, appEnv, close };
}
