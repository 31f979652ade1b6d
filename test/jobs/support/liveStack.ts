import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueClient } from '@azure/storage-queue';
import type { HubAdminClient } from '../../../dev/hub-emulator/adminClient';
import type { RunningHubEmulator, StartHubEmulatorOptions } from '../../../dev/hub-emulator/server';
import { buildServices, type Services } from '../../../src/composition';
import { submitJob } from '../../../src/jobs/submitJob';
import { loadSettings } from '../../../src/settings';
import type { RunningAzurite } from '../../support/azurite';
import { startEmulatorStack } from '../../support/emulatorStack';

/** Reused across runs: generating a certificate costs a key pair. */
const certDir = path.join(tmpdir(), 'hubjobs-test-jobs-cert');

/** Azurite and the hub emulator, with the app's settings pointing at both. */
export interface LiveStack {
  azurite: RunningAzurite;
  hub: RunningHubEmulator;
  admin: HubAdminClient;
  /** App settings (as env) for this stack; each call of `services` gets fresh table names. */
  env(overrides?: Record<string, string>): Record<string, string>;
  /** The real composition root over these settings. */
  services(overrides?: Record<string, string>): Services;
  close(): Promise<void>;
}

/** Settings that keep tests fast: short back-offs, quick hub retries. */
export const fastSettings: Record<string, string> = {
  SUBMIT_RETRY_BASE_SECONDS: '1',
  SUBMIT_RETRY_MAX_SECONDS: '2',
  HUB_RETRY_COUNT: '2',
  HUB_RETRY_BASE_MS: '20',
  HUB_CALL_TIMEOUT_MS: '5000',
  POLL_INTERVAL_SECONDS: '1',
};

export async function startLiveStack(hubOptions: StartHubEmulatorOptions): Promise<LiveStack> {
  const stack = await startEmulatorStack(hubOptions, { certDir, namePrefix: 't' });
  const env = (overrides: Record<string, string> = {}) =>
    stack.appEnv({ ...fastSettings, ...overrides });
  return {
    azurite: stack.azurite,
    hub: stack.hub,
    admin: stack.admin,
    env,
    services: (overrides) => buildServices(loadSettings(env(overrides))),
    close: stack.close,
  };
}

/**
 * Plays the queue trigger for tests: takes visible `job-requests` messages and runs the submit use
 * case on each, deleting it afterwards (as the host does on success).
 */
export async function processQueueOnce(services: Services, connectionString: string) {
  const queue = new QueueClient(connectionString, services.settings.jobRequestsQueue);
  await queue.createIfNotExists();
  const { receivedMessageItems } = await queue.receiveMessages({
    numberOfMessages: 32,
    visibilityTimeout: 30,
  });
  for (const message of receivedMessageItems) {
    const body = JSON.parse(Buffer.from(message.messageText, 'base64').toString('utf8')) as {
      jobId: string;
    };
    await submitJob(body.jobId, services.deps);
    await queue.deleteMessage(message.messageId, message.popReceipt);
  }
  return receivedMessageItems.length;
}

/** Repeats `step` until `done` holds; bounded by `timeoutMs`, so a stuck test fails instead. */
export async function driveUntil(
  description: string,
  step: () => Promise<unknown>,
  done: () => Promise<boolean>,
  timeoutMs = 30_000,
  pauseMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await step();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${description}`);
    await sleep(pauseMs);
  }
}
