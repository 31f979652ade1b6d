import { hubErrors } from '../hubError';
import { Delays } from './delays';
import { toDeviceJson, type DeviceJson } from './deviceJson';
import { createDeviceState, deviceEtag, type DeviceState } from './deviceState';
import { switchOnline } from './deviceBehaviours';
import { DeviceLinks } from './deviceLinks';
import { DeviceSide } from './deviceSide';
import { DeviceStore } from './deviceStore';
import { DirectMethods } from './directMethods';
import type { EngineLoop } from './engineLoop';
import { seededDeviceId, seededTimeZone, seededTwin } from './fleet';
import { parseMethodRequest } from './methodRequest';
import { parseNewDevice } from './newDevice';
import type { OperationLog } from './operationLog';
import { ReportedEcho } from './reportedEcho';
import type { ResolvedHubOptions } from './resolveOptions';
import { toTwinJson, type TwinJson } from './twinJson';
import { normalizeEtag, parseTwinPatch } from './twinPatch';
import { TwinService } from './twinService';
import type { Clock, MethodContext, MethodRequest, MethodResult } from './types';

const DEFAULT_LIST_SIZE = 1000;

/** The identity registry, twins and direct methods of the emulated hub. */
export class DeviceRegistry {
  readonly store = new DeviceStore();
  readonly twins: TwinService;
  /** Live device connections (MQTT) and what they may do. */
  readonly deviceSide: DeviceSide;
  private readonly links: DeviceLinks;
  private readonly methods: DirectMethods;
  private readonly echo: ReportedEcho;
  private readonly delays = new Delays();

  constructor(
    private readonly options: ResolvedHubOptions,
    private readonly clock: Clock,
    log: OperationLog,
    loop: EngineLoop,
  ) {
    this.echo = new ReportedEcho(options.reportedEchoLatencyMs);
    loop.register((now) => this.echo.step(now));
    this.links = new DeviceLinks(options.unconnectedDevices);
    this.deviceSide = new DeviceSide(this.store, this.links, clock, options.seed);
    this.twins = new TwinService(clock, this.echo, loop, this.deviceSide.deliverDesired);
    this.methods = new DirectMethods({
      store: this.store,
      options,
      log,
      clock,
      delays: this.delays,
      links: this.links,
    });
    this.seedFleet();
  }

  createDevice(deviceId: string, body: unknown): DeviceJson {
    const request = parseNewDevice(deviceId, body);
    if (this.store.get(deviceId)) throw hubErrors.deviceAlreadyExists(deviceId);
    const state = createDeviceState({
      ...request,
      deviceId,
      order: this.store.takeOrderNumber(),
      now: this.clock.now(),
    });
    state.connectionState = this.links.initialState;
    this.store.add(state);
    return toDeviceJson(this.options.seed, state);
  }

  getDevice(deviceId: string): DeviceJson {
    return toDeviceJson(this.options.seed, this.existing(deviceId));
  }

  deleteDevice(deviceId: string, ifMatch?: string): void {
    const state = this.existing(deviceId);
    const expected = normalizeEtag(ifMatch);
    if (expected !== undefined && expected !== '*' && expected !== deviceEtag(state)) {
      throw hubErrors.preconditionFailed();
    }
    this.store.remove(state);
  }

  listDevices(top = DEFAULT_LIST_SIZE): DeviceJson[] {
    const result: DeviceJson[] = [];
    if (top <= 0) return result;
    for (const state of this.store.after()) {
      result.push(toDeviceJson(this.options.seed, state));
      if (result.length >= top) break;
    }
    return result;
  }

  getTwin(deviceId: string): TwinJson {
    return toTwinJson(this.existing(deviceId));
  }

  patchTwin(deviceId: string, patch: unknown, ifMatch?: string): TwinJson {
    const state = this.existing(deviceId);
    this.twins.write(state, parseTwinPatch(patch), ifMatch, 'merge');
    return toTwinJson(state);
  }

  replaceTwin(deviceId: string, twin: unknown, ifMatch?: string): TwinJson {
    const state = this.existing(deviceId);
    this.twins.write(state, parseTwinPatch(twin), ifMatch, 'replace');
    return toTwinJson(state);
  }

  setOnline(deviceId: string, online: boolean): void {
    switchOnline(this.existing(deviceId), online, this.clock.now());
  }

  invokeMethod(
    deviceId: string,
    request: MethodRequest,
    context?: MethodContext,
  ): Promise<MethodResult> {
    try {
      const parsed = parseMethodRequest(request, hubErrors.argumentInvalid);
      return this.methods.invoke(deviceId, parsed, context);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** For the job engine: the method call with an already validated request. */
  get directMethods(): DirectMethods {
    return this.methods;
  }

  close(): void {
    this.delays.cancelAll();
  }

  private existing(deviceId: string): DeviceState {
    const state = this.store.get(deviceId);
    if (!state) throw hubErrors.deviceNotFound(deviceId);
    return state;
  }

  private seedFleet(): void {
    const now = this.clock.now();
    for (let index = 0; index < this.options.devices; index++) {
      const deviceId = seededDeviceId(index);
      const timeZone = seededTimeZone(this.options.seedTimeZones, index);
      const twin = seededTwin(this.options.seed, deviceId, timeZone);
      const state = createDeviceState({
        deviceId,
        order: this.store.takeOrderNumber(),
        now,
        ...twin,
      });
      state.connectionState = this.links.initialState;
      this.store.add(state);
    }
  }
}
