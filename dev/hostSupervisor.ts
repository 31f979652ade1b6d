import { setTimeout as sleep } from 'node:timers/promises';
import type { SpawnedLocalHost } from './host/spawnLocalHost';

/** Ctrl-C reaches the host too; npm start's own handler gets this long to say "stopping". */
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
  const supervisor = new Supervisor(options, await options.start());
  return {
    current: () => supervisor.host,
    restarts: () => supervisor.restarts,
    stop: (signal) => supervisor.stop(signal),
  };
}

class Supervisor {
  restarts = 0;
  private stopping = false;
  private restarting: Promise<void> | undefined;
  private readonly crashTimes: number[] = [];

  constructor(
    private readonly options: HostSupervisorOptions,
    public host: SpawnedLocalHost,
  ) {
    this.watch(host);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await this.host.stop(signal);
  }

  private watch(watched: SpawnedLocalHost): void {
    void watched.exited.then(async ({ code, signal }) => {
      await sleep(EXIT_GRACE_MS);
      if (this.stopping || watched !== this.host) return;
      const how = signal === null ? `with code ${code}` : `on signal ${signal}`;
      this.options.log(
        `The local Functions host (pid ${watched.pid}) exited unexpectedly ${how}; restarting it. Azurite and the IoT Hub emulator keep running, and so do their jobs.`,
      );
      this.restarting = this.restart();
    });
  }

  private async restart(): Promise<void> {
    while (!this.stopping) {
      if (this.tooManyCrashes()) {
        this.options.log(
          `The local Functions host crashed ${this.crashTimes.length} times within ${Math.round(this.windowMs / 1000)} s; not restarting it again.`,
        );
        this.options.onGiveUp();
        return;
      }
      await sleep(this.options.restartDelayMs ?? 1000);
      if (this.stopping || (await this.startAgain())) return;
    }
  }

  /** True once a new host runs (or the supervisor was stopped meanwhile). */
  private async startAgain(): Promise<boolean> {
    try {
      const started = await this.options.start();
      if (this.stopping) {
        await started.stop('SIGTERM');
        return true;
      }
      this.host = started;
      this.restarts += 1;
      this.options.log(`The local Functions host is running again at ${started.baseUrl}.`);
      this.options.onRestart?.(started);
      this.watch(started);
      return true;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.options.log(`The local Functions host did not start again: ${why}`);
      return false;
    }
  }

  private get windowMs(): number {
    return this.options.windowMs ?? 60_000;
  }

  private tooManyCrashes(): boolean {
    const now = Date.now();
    this.crashTimes.push(now);
    while ((this.crashTimes[0] ?? now) <= now - this.windowMs) this.crashTimes.shift();
    return this.crashTimes.length > (this.options.maxRestarts ?? 5);
  }
}
