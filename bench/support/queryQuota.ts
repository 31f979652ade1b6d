import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningHubEmulator } from '../../dev/hub-emulator/server';
import { classifyHubError } from '../../src/hub/classifyHubError';
import { createHubClients } from '../../src/hub/createHubClients';

/**
 * Leaves the emulator's query bucket as a real hub's would be after a quiet minute at the scaled
 * rate. The emulator's bucket holds a minute's worth of tokens, so at a time-scaled quota it would
 * hold far more than the real tier ever does: spend queries until the hub answers 429 (empty
 * bucket), then wait one scaled minute so it holds exactly one minute of the real tier's quota.
 */
export async function resetQueryBucketToOneScaledMinute(
  hub: RunningHubEmulator,
  timeScale: number,
  maxQueries = 100_000,
): Promise<number> {
  const { registry } = createHubClients({
    connectionString: hub.connectionString,
    endpoint: hub.endpoint,
    ca: readFileSync(hub.caFile),
  });
  let spent = 0;
  let throttled = false;
  const spendOne = async (): Promise<void> => {
    const query = registry.createQuery("SELECT * FROM devices WHERE deviceId = 'device-00001'", 1);
    try {
      await query.next(undefined as unknown as string);
    } catch (error) {
      if (classifyHubError(error).kind !== 'throttled') throw error;
      throttled = true;
    }
  };
  const worker = async (): Promise<void> => {
    while (!throttled && spent < maxQueries) {
      spent++;
      await spendOne();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  if (!throttled) throw new Error(`The hub never throttled queries after ${spent} of them`);
  await sleep(60_000 / timeScale);
  return spent;
}
