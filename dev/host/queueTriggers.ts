import type { StorageQueueFunctionOptions } from '@azure/functions';
import type { QueueServiceClient } from '@azure/storage-queue';
import type { HostConfig } from './hostConfig';
import type { HostJsonConfig } from './hostJson';
import type { HostLog } from './hostLog';
import type { SettingValues } from './hostSettings';
import type { InFlight } from './inFlight';
import { createQueueServiceClient } from './queueServiceClient';
import { startQueueTrigger, type RunningQueueTrigger } from './queueTrigger';

export interface QueueTriggerSettings {
  settings: SettingValues;
  hostJson: HostJsonConfig;
  config: HostConfig;
}

/** Starts one poller per queue function; functions on the same connection share a client. */
export function startQueueTriggers(
  functions: readonly { name: string; options: StorageQueueFunctionOptions }[],
  { settings, hostJson, config }: QueueTriggerSettings,
  log: HostLog,
  inFlight: InFlight,
): RunningQueueTrigger[] {
  const services = new Map<string, QueueServiceClient>();
  return functions.map(({ name, options }) => {
    const { connection, queueName } = options;
    const service = services.get(connection) ?? createQueueServiceClient(connection, settings);
    services.set(connection, service);
    return startQueueTrigger({
      name,
      options,
      queue: service.getQueueClient(queueName),
      poisonQueue: service.getQueueClient(`${queueName}-poison`),
      config: hostJson.queues,
      pollMinMs: config.queuePollMinMs,
      pollMaxMs: config.queuePollMaxMs,
      log,
      inFlight,
    });
  });
}
