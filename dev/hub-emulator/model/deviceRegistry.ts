import { hubErrors } from '../hubError';
import { runBulkOperation } from './bulkRegistry';
import { Delays } from './delays';
import { edgeDeviceScope, toDeviceJson, type DeviceJson } from './deviceJson';
import { createDeviceState, type DeviceState } from './deviceState';
import { applyDeviceUpdate, checkDeviceEtag } from './deviceUpdate';
import { switchOnline } from './deviceBehaviours';
import { DeviceLinks } from './deviceLinks';
import { DeviceSide } from './deviceSide';
import { DeviceStore } from './deviceStore';
import { DirectMethods } from './directMethods';
import type { EngineLoop } from './engineLoop';
import { seededDeviceId, seededTimeZone, seededTwin } from './fleet';
import { parseMethodRequest } from './methodRequest';
import { parseNewDevice, type NewDeviceRequest } from './newDevice';
import type { OperationLog } from './operationLog';
import { ReportedEcho } from './reportedEcho';
import type { ResolvedHubOptions } from './resolveOptions';
import { toTwinJson, type TwinJson } from './twinJson';
import { parseTwinPatch } from './twinPatch';
import { TwinService } from './twinService';
import type { Clock, JsonObject, MethodContext, MethodRequest, MethodResult } from './types';

const DEFAULT_LIST_SIZE = 1000;

/** Twin sections a bulk import may give a new device. */
export interface NewTwinSections {
  tags?: JsonObject;
  desired?: JsonObject;
}

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
    return toDeviceJson(
      this.options.seed,
      this.addDevice(deviceId, parseNewDevice(deviceId, body)),
    );
  }

  /** A parsed identity (and, from a bulk import, twin sections) becomes a new device. */
  addDevice(deviceId: string, request: NewDeviceRequest, twin: NewTwinSections = {}): DeviceState {
    if (this.store.get(deviceId)) throw hubErrors.deviceAlreadyExists(deviceId);
    this.checkScopes(request);
    const order = this.store.takeOrderNumber();
    const ownScope = request.iotEdge
      ? edgeDeviceScope(this.options.seed, deviceId, order)
      : request.deviceScope;
    const state = createDeviceState({
      ...request,
      ...twin,
      ...(ownScope === undefined ? {} : { deviceScope: ownScope }),
      deviceId,
      order,
      now: this.clock.now(),
    });
    state.connectionState = this.links.initialState;
    this.store.add(state);
    return state;
  }

  /** `PUT /devices/{id}` with `If-Match`: 200 with a new etag, 412 on a stale one. */
  updateDevice(deviceId: string, body: unknown, ifMatch: string | undefined): DeviceJson {
    const request = parseNewDevice(deviceId, body);
    const state = this.existing(deviceId);
    checkDeviceEtag(state, ifMatch);
    this.checkScopes(request);
    const wasEnabled = state.status === 'enabled';
    applyDeviceUpdate(state, request, { seed: this.options.seed, now: this.clock.now() });
    // The hub ends a device's connection when it is disabled; its next connect is refused.
    if (wasEnabled && state.status === 'disabled') this.links.get(deviceId)?.drop();
    return toDeviceJson(this.options.seed, state);
  }

  bulk(body: unknown) {
    return runBulkOperation(this, body);
  }

  getDevice(deviceId: string): DeviceJson {
    return toDeviceJson(this.options.seed, this.existing(deviceId));
  }

  deleteDevice(deviceId: string, ifMatch?: string): void {
    const state = this.existing(deviceId);
    checkDeviceEtag(state, ifMatch);
    this.store.remove(state);
    this.links.get(deviceId)?.drop();
    this.onDeviceRemoved?.(deviceId);
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

  /** Called after a device is deleted, e.g. so its modules go with it. */
  onDeviceRemoved: ((deviceId: string) => void) | undefined;

  /** Scopes must name existing edge devices: a leaf's parent, an edge device's parents. */
  private checkScopes(request: NewDeviceRequest): void {
    const wanted = request.iotEdge ? request.parentScopes : request.parentScopes.slice(0, 1);
    for (const scope of wanted) {
      const edge = this.edgeDeviceOf(scope);
      if (!edge) {
        throw hubErrors.argumentInvalid(`The scope '${scope}' is not the scope of an edge device.`);
      }
    }
  }

  private edgeDeviceOf(scope: string): DeviceState | undefined {
    const match = /^ms-azure-iot-edge:\/\/(.+)-\d+$/.exec(scope);
    const candidate = match?.[1] === undefined ? undefined : this.store.get(match[1]);
    return candidate?.$.iotEdge === true && candidate.$.deviceScope === scope
      ? candidate
      : undefined;
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
