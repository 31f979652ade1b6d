import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { HubAdminClient } from '../../dev/hub-emulator/adminClient';
import type { HubRouteName } from '../../dev/hub-emulator/http/routes';
import type { StartHubEmulatorOptions } from '../../dev/hub-emulator/server';
import type { AzuriteOptions } from '../../test/support/azurite';
import { startEmulatorStack, type EmulatorStack } from '../../test/support/emulatorStack';

/** Reused across runs: generating the emulator's certificate costs a key pair. */
const certDir = path.join(tmpdir(), 'hubjobs-bench-cert');

/** Azurite (in memory unless given a folder) and the IoT Hub emulator, on free 127.0.0.1 ports. */
export type BenchStack = EmulatorStack;

export function startBenchStack(
  hubOptions: StartHubEmulatorOptions,
  azuriteOptions: AzuriteOptions = {},
): Promise<BenchStack> {
  return startEmulatorStack(hubOptions, { certDir, namePrefix: 'b', azurite: azuriteOptions });
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
