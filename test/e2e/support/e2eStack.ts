import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubAdminClient } from '../../../dev/hub-emulator/adminClient';
import { spawnLocalHost, type SpawnedLocalHost } from '../../../dev/host/spawnLocalHost';
import type { RunningHubEmulator, StartHubEmulatorOptions } from '../../../dev/hub-emulator/server';
import type { RunningAzurite } from '../../support/azurite';
import { startEmulatorStack } from '../../support/emulatorStack';

const certDir = path.join(tmpdir(), 'hubjobs-test-e2e-cert');

/** Azurite, the hub emulator and the local Functions host in its own process. */
export interface E2eStack {
  azurite: RunningAzurite;
  hub: RunningHubEmulator;
  admin: HubAdminClient;
  host: SpawnedLocalHost;
  /** The settings the host runs with. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startE2eStack(
  hubOptions: StartHubEmulatorOptions,
  settings: Record<string, string> = {},
): Promise<E2eStack> {
  const directory = await mkdtemp(path.join(tmpdir(), 'hubjobs-e2e-'));
  // An empty settings file: the committed sample points at fixed ports this test does not use.
  const settingsFile = path.join(directory, 'local.settings.json');
  await writeFile(settingsFile, JSON.stringify({ IsEncrypted: false, Values: {} }));
  const backends = await startEmulatorStack(hubOptions, { certDir, namePrefix: 'e' });
  const env = backends.appEnv({
    HOST_PORT: '0',
    POLL_SCHEDULE: '*/1 * * * * *',
    POLL_INTERVAL_SECONDS: '1',
    SUBMIT_RETRY_BASE_SECONDS: '1',
    SUBMIT_RETRY_MAX_SECONDS: '2',
    HUB_RETRY_COUNT: '1',
    HUB_RETRY_BASE_MS: '50',
    HUB_CALL_TIMEOUT_MS: '2000',
    QUEUE_POLL_MIN_MS: '50',
    QUEUE_POLL_MAX_MS: '250',
    ...settings,
  });
  let host: SpawnedLocalHost;
  try {
    host = await spawnLocalHost({
      env,
      args: ['--settings', settingsFile],
      readyTimeoutMs: 60_000,
    });
  } catch (error) {
    await Promise.allSettled([backends.close(), rm(directory, { recursive: true })]);
    throw error;
  }
  return {
    azurite: backends.azurite,
    hub: backends.hub,
    admin: backends.admin,
    host,
    env,
    close: async () => {
      await host.stop('SIGTERM');
      await Promise.allSettled([backends.close()]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // Answers are read loosely, as a client script would; the assertions pin what matters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** One HTTP call to the local host's API (`path` below `/api`). */
export async function api(
  stack: E2eStack,
  method: string,
  apiPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const response = await fetch(`${stack.host.baseUrl}${apiPath}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Polls `probe` until it holds; bounded, so a stuck run fails with the description. */
export async function eventually(
  description: string,
  probe: () => Promise<boolean>,
  timeoutMs = 60_000,
  pauseMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${description}`);
    await sleep(pauseMs);
  }
}
