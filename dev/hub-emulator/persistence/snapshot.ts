import type { HubModel } from '../model/hubModel';
import type { ConfigurationJson } from '../model/configurationStore';
import type { DeviceState } from '../model/deviceState';
import type { ModuleState } from '../model/moduleJson';
import { fromPersistedJob, toPersistedJob } from './jobRecords';
import { STATE_FORMAT, STATE_VERSION, type PersistedState } from './persistedState';

/** Everything a restart must keep, taken in one synchronous pass (no request runs meanwhile). */
export function captureState(model: HubModel, now: number): PersistedState {
  const { jobs, nextSeq } = model.jobs.snapshot();
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    savedAt: new Date(now).toISOString(),
    seed: model.options.seed,
    nextOrder: model.registry.store.nextOrderNumber,
    devices: [...model.registry.store.after()] as unknown as PersistedState['devices'],
    modules: model.modules.all() as unknown as PersistedState['modules'],
    configurationVersion: model.configurations.lastVersion,
    configurations: model.configurations.all() as unknown as PersistedState['configurations'],
    nextJobSeq: nextSeq,
    jobs: jobs.map(toPersistedJob),
  };
}

/** Puts a saved state in place of the seeded one; active jobs carry on (see jobRecords.ts). */
export function restoreState(model: HubModel, state: PersistedState, now: number): void {
  const devices = state.devices.map((device) => asLive(device as unknown as DeviceState));
  model.registry.store.load(devices, state.nextOrder);
  model.modules.load(
    state.modules.map((module) => ({
      ...(module as unknown as ModuleState),
      twin: asLive(module.twin as unknown as DeviceState),
    })),
  );
  model.configurations.load(
    state.configurations as unknown as ConfigurationJson[],
    state.configurationVersion,
  );
  const jobs = state.jobs.map((job) => fromPersistedJob(job, now));
  model.jobs.restore(jobs, state.nextJobSeq);
}

function asLive(device: DeviceState): DeviceState {
  device.$.deleted = false;
  return device;
}
