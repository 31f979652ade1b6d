import type { HubEmulatorOptions } from '../options';
import { ConfigurationStore } from './configurationStore';
import { DeviceBehaviours } from './deviceBehaviours';
import { DeviceRegistry } from './deviceRegistry';
import { EngineLoop } from './engineLoop';
import { JobEngine } from './jobEngine';
import { runHubQuery, type QueryPage } from './hubQuery';
import { ModuleRegistry } from './moduleRegistry';
import { OperationLog } from './operationLog';
import { ReportedEcho } from './reportedEcho';
import { resolveOptions, type ResolvedHubOptions } from './resolveOptions';
import { TwinService } from './twinService';
import { systemClock, type Clock, type PageRequest } from './types';

/**
 * The emulated hub behind the HTTP surface: a seeded fleet with twins and direct methods, the
 * jobs v2 engine, the device query, and the per-device operation log. Every error is a HubError.
 */
export class HubModel {
  readonly options: ResolvedHubOptions;
  readonly registry: DeviceRegistry;
  readonly jobs: JobEngine;
  readonly operations: OperationLog;
  readonly behaviours: DeviceBehaviours;
  readonly modules: ModuleRegistry;
  readonly configurations: ConfigurationStore;
  private readonly loop: EngineLoop;

  constructor(options: HubEmulatorOptions = {}, clock: Clock = systemClock) {
    this.options = resolveOptions(options);
    this.loop = new EngineLoop(clock);
    this.operations = new OperationLog(clock);
    this.registry = new DeviceRegistry(this.options, clock, this.operations, this.loop);
    this.behaviours = new DeviceBehaviours(this.registry.store, clock);
    this.modules = this.createModules(clock);
    this.configurations = new ConfigurationStore(clock);
    this.jobs = new JobEngine({
      registry: this.registry,
      log: this.operations,
      options: this.options,
      clock,
      loop: this.loop,
    });
  }

  query(sql: string, page: PageRequest = {}): QueryPage {
    return runHubQuery(
      {
        store: this.registry.store,
        jobs: this.jobs,
        canceledSpelling: this.options.deviceCanceledSpelling,
      },
      sql,
      page,
    );
  }

  /** Module twins echo desired into reported like simulated devices, through their own queue. */
  private createModules(clock: Clock): ModuleRegistry {
    const echo = new ReportedEcho(this.options.reportedEchoLatencyMs);
    this.loop.register((now) => echo.step(now));
    const twins = new TwinService(clock, echo, this.loop);
    const modules = new ModuleRegistry(this.registry.store, twins, this.options.seed, clock);
    this.registry.onDeviceRemoved = (deviceId) => modules.removeDevice(deviceId);
    return modules;
  }

  /** Stops every timer; jobs stay as they are, and pending method calls fail with 503. */
  close(): void {
    this.loop.close();
    this.registry.close();
  }
}
