/** The emulated hub's state and behaviour, for the HTTP layer (`../http`) and tests. */
export { HubModel } from './hubModel';
export { DeviceRegistry } from './deviceRegistry';
export { DeviceBehaviours, type BehaviourEntry } from './deviceBehaviours';
export type { Behaviour, BehaviourSpec } from './behaviourSpec';
export { JobEngine, type JobFilter } from './jobEngine';
export { OperationLog, type OperationFilter } from './operationLog';
export { resolveOptions, type ResolvedHubOptions } from './resolveOptions';
export type { QueryItemType, QueryPage } from './hubQuery';
export type { DeviceJson } from './deviceJson';
export type { TwinJson } from './twinJson';
export type { DeviceJobJson, JobJson } from './jobJson';
export { OPEN_END_TIME } from './jobJson';
export { seededDeviceId } from './fleet';
export type {
  Clock,
  JsonObject,
  JsonValue,
  MethodContext,
  MethodRequest,
  MethodResult,
  OperationEntry,
  OperationOutcome,
  Page,
  PageRequest,
} from './types';
