import { setTimeout as sleep } from 'node:timers/promises';
import type { SpawnedLocalHost } from './host/spawnLocalHost';

const EXIT_GRACE_MS = 250;

export interface HostSupervisorOptions {
  /** Starts one host process and resolves once it is ready. */
  start(): Promise<SpawnedLocalHost>;
  log(line: string): void;
  /** Restarts allowed within `windowMs`; one more and the supervisor gives up. Default 5 per minute. */
  maxRestarts?: number;
  windowMs?: number;
  /** Pause before a restart, so a host that dies at once does not spin. Default 1 s. */
  restartDelayMs?: number;
  /** Called once when the host keeps crashing and the supervisor stopped restarting it. */
  onGiveUp(): void;
  /** Called after every successful restart, with the new host. */
  onRestart?(host: SpawnedLocalHost): void;
}

export interface HostSupervisor {
  /** The host running now (the latest one after a restart). */
  current(): SpawnedLocalHost;
  /** How many times the host has been restarted. */
  restarts(): number;
  /** Stops supervising, then the host; a crash from here on is expected and not restarted. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Keeps the local Functions host running under `npm start`: when it exits without being asked,
 * this says so and starts a new one, while Azurite and the hub emulator (and the jobs they hold)
 * keep running. A host that crashes over and over is given up on, so the cause is not buried.
 */
export async function superviseHost(options: HostSupervisorOptions): Promise<HostSupervisor> {
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const restartDelayMs = options.restartDelayMs ?? 1000;
  let host = await options.start();
  let stopping = false;
  let restarts = 0;
  const recent: number[] = [];
  let restarting: Promise<void> | undefined;

  const tooMany = (): boolean => {
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && (recent[0] ?? now) <= now - windowMs) recent.shift();
    return recent.length > maxRestarts;
  };

  const restart = async (): Promise<void> => {
    while (!stopping) {
      if (tooMany()) {
        options.log(
          `The local Functions host crashed ${recent.length} times within ${Math.round(windowMs / 1000)} s; not restarting it again.`,
        );
        options.onGiveUp();
        return;
      }
      await sleep(restartDelayMs);
      if (stopping) return;
      try {
        const started = await options.start();
        if (stopping) {
          await started.stop('SIGTERM');
          return;
        }
        host = started;
        restarts += 1;
        options.log(`The local Functions host is running again at ${host.baseUrl}.`);
        options.onRestart?.(host);
        watch(host);
        return;
      } catch (error) {
        options.log(
          `The local Functions host did not start again: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };

  const watch = (watched: SpawnedLocalHost): void => {
    void watched.exited.then(async ({ code, signal }) => {
      // Ctrl-C reaches the host too; give npm start's own handler the moment to say "stopping".
      await sleep(EXIT_GRACE_MS);
      if (stopping || watched !== host) return;
      const how = signal === null ? `with code ${code}` : `on signal ${signal}`;
      options.log(
        `The local Functions host (pid ${watched.pid}) exited unexpectedly ${how}; restarting it. Azurite and the IoT Hub emulator keep running, and so do their jobs.`,
      );
      restarting = restart();
    });
  };
  watch(host);

  return {
    current: () => host,
    restarts: () => restarts,
    stop: async (signal = 'SIGTERM') => {
      stopping = true;
      await restarting;
      await host.stop(signal);
    },
  };
}
