import { readFile } from 'node:fs/promises';
import { HubAdminClient } from '../../../../dev/hub-emulator/adminClient';
import {
  startHubEmulator,
  type RunningHubEmulator,
  type StartHubEmulatorOptions,
} from '../../../../dev/hub-emulator/server';
import { createHubClients, type HubClients } from '../../../../src/hub/createHubClients';
import { rawRequest, type RawResponse } from './rawHttps';
import { testCertDir } from './testCertDir';

export interface TestHub extends HubClients {
  hub: RunningHubEmulator;
  ca: Buffer;
  admin: HubAdminClient;
  /** A raw HTTPS call with the given headers (no Authorization unless given). */
  raw(
    method: string,
    path: string,
    headers?: Record<string, string>,
    body?: string,
  ): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Starts an emulator on a free port with SDK clients (through createHubClients) and an admin client. */
export async function startTestHub(options: StartHubEmulatorOptions = {}): Promise<TestHub> {
  const hub = await startHubEmulator({ certDir: testCertDir, ...options });
  const ca = await readFile(hub.caFile);
  const clients = createHubClients({
    connectionString: hub.connectionString,
    endpoint: hub.endpoint,
    ca,
  });
  return {
    hub,
    ca,
    ...clients,
    admin: new HubAdminClient({
      endpoint: hub.endpoint,
      connectionString: hub.connectionString,
      ca,
    }),
    raw: (method, path, headers = {}, body) =>
      rawRequest({
        port: hub.port,
        ca,
        method,
        path,
        headers: { host: hub.hostName, ...headers },
        ...(body === undefined ? {} : { body }),
      }),
    close: () => hub.close(),
  };
}

/** The hub key of a running emulator, from its connection string. */
export function hubKeyOf(hub: RunningHubEmulator): string {
  const key = /SharedAccessKey=([^;]+)/.exec(hub.connectionString)?.[1];
  if (!key) throw new Error('connection string without a key');
  return key;
}

/** What the SDK attaches to a failed call: the HTTP answer as the hub sent it. */
export interface SdkHttpError {
  response?: { statusCode?: number; headers: Record<string, string | string[] | undefined> };
  responseBody?: string;
  name?: string;
}

/** Awaits a call that must fail and returns the SDK's error with its HTTP details. */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkHttpError> {
  try {
    await call;
  } catch (error) {
    return error as SdkHttpError;
  }
  throw new Error('expected the hub call to fail');
}
