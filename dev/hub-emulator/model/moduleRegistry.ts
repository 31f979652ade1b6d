import { hubErrors } from '../hubError';
import type { DeviceStore } from './deviceStore';
import { applyDeviceUpdate, checkDeviceEtag } from './deviceUpdate';
import { createDeviceState } from './deviceState';
import {
  moduleKeys,
  toModuleJson,
  toModuleTwinJson,
  type ModuleJson,
  type ModuleState,
} from './moduleJson';
import { parseNewDevice } from './newDevice';
import { isJsonObject, parseTwinPatch } from './twinPatch';
import type { TwinService } from './twinService';
import type { Clock } from './types';

/** Module identities per device (`/devices/{id}/modules/{mid}`) and their twins. */
export class ModuleRegistry {
  private readonly byDevice = new Map<string, Map<string, ModuleState>>();
  private nextOrder = 0;

  constructor(
    private readonly devices: DeviceStore,
    private readonly twins: TwinService,
    private readonly seed: number,
    private readonly clock: Clock,
  ) {}

  create(deviceId: string, moduleId: string, body: unknown): ModuleJson {
    const modules = this.modulesOf(deviceId);
    if (modules.has(moduleId)) throw hubErrors.moduleAlreadyExists(deviceId, moduleId);
    const request = parseNewDevice(moduleId, withoutDeviceId(body, deviceId, moduleId));
    const explicitKeys =
      request.authenticationType === 'sas'
        ? (request.explicitKeys ?? moduleKeys(this.seed, deviceId, moduleId))
        : undefined;
    const twin = createDeviceState({
      ...request,
      ...(explicitKeys ? { explicitKeys } : {}),
      iotEdge: false,
      parentScopes: [],
      deviceId,
      order: this.nextOrder++,
      now: this.clock.now(),
    });
    const module: ModuleState = { moduleId, managedBy: managedByOf(body), twin };
    modules.set(moduleId, module);
    return toModuleJson(this.seed, module);
  }

  update(deviceId: string, moduleId: string, body: unknown, ifMatch: string | undefined) {
    const module = this.existing(deviceId, moduleId);
    checkDeviceEtag(module.twin, ifMatch);
    const request = parseNewDevice(moduleId, withoutDeviceId(body, deviceId, moduleId));
    applyDeviceUpdate(
      module.twin,
      { ...request, iotEdge: false, parentScopes: [] },
      {
        seed: this.seed,
        now: this.clock.now(),
      },
    );
    module.managedBy = managedByOf(body);
    return toModuleJson(this.seed, module);
  }

  get(deviceId: string, moduleId: string): ModuleJson {
    return toModuleJson(this.seed, this.existing(deviceId, moduleId));
  }

  list(deviceId: string): ModuleJson[] {
    return [...this.modulesOf(deviceId).values()].map((module) => toModuleJson(this.seed, module));
  }

  delete(deviceId: string, moduleId: string, ifMatch: string | undefined): void {
    const module = this.existing(deviceId, moduleId);
    checkDeviceEtag(module.twin, ifMatch);
    module.twin.$.deleted = true;
    this.byDevice.get(deviceId)?.delete(moduleId);
  }

  getTwin(deviceId: string, moduleId: string) {
    return toModuleTwinJson(this.existing(deviceId, moduleId));
  }

  writeTwin(
    deviceId: string,
    moduleId: string,
    body: unknown,
    ifMatch: string | undefined,
    mode: 'merge' | 'replace',
  ) {
    const module = this.existing(deviceId, moduleId);
    this.twins.write(module.twin, parseTwinPatch(body), ifMatch, mode);
    return toModuleTwinJson(module);
  }

  /** A deleted device takes its modules with it. */
  removeDevice(deviceId: string): void {
    for (const module of this.byDevice.get(deviceId)?.values() ?? []) module.twin.$.deleted = true;
    this.byDevice.delete(deviceId);
  }

  /** Every module, for the state directory. */
  all(): ModuleState[] {
    return [...this.byDevice.values()].flatMap((modules) => [...modules.values()]);
  }

  /** Replaces every module with ones read back after a restart. */
  load(modules: readonly ModuleState[]): void {
    this.byDevice.clear();
    for (const module of modules) {
      const forDevice = this.byDevice.get(module.twin.deviceId) ?? new Map<string, ModuleState>();
      forDevice.set(module.moduleId, module);
      this.byDevice.set(module.twin.deviceId, forDevice);
      this.nextOrder = Math.max(this.nextOrder, module.twin.$.order + 1);
    }
  }

  private modulesOf(deviceId: string): Map<string, ModuleState> {
    if (!this.devices.get(deviceId)) throw hubErrors.deviceNotFound(deviceId);
    const existing = this.byDevice.get(deviceId);
    if (existing) return existing;
    const created = new Map<string, ModuleState>();
    this.byDevice.set(deviceId, created);
    return created;
  }

  private existing(deviceId: string, moduleId: string): ModuleState {
    const module = this.modulesOf(deviceId).get(moduleId);
    if (!module) throw hubErrors.moduleNotFound(deviceId, moduleId);
    return module;
  }
}

/** The body names its device and module; both must match the path. */
function withoutDeviceId(body: unknown, deviceId: string, moduleId: string): unknown {
  if (!isJsonObject(body)) return body;
  if (body.deviceId !== undefined && body.deviceId !== deviceId) {
    throw hubErrors.argumentInvalid('The deviceId in the body differs from the one in the path.');
  }
  if (body.moduleId !== undefined && body.moduleId !== moduleId) {
    throw hubErrors.argumentInvalid('The moduleId in the body differs from the one in the path.');
  }
  const { deviceId: _device, moduleId: _module, capabilities: _c, ...rest } = body;
  return rest;
}

function managedByOf(body: unknown): string | null {
  return isJsonObject(body) && typeof body.managedBy === 'string' ? body.managedBy : null;
}
