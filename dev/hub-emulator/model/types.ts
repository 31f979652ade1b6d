/** JSON values as the hub stores them in twins and payloads. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** One page of a paged answer; `continuationToken` is absent on the last page. */
export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

export interface PageRequest {
  pageSize?: number;
  continuationToken?: string;
}

export type OperationOutcome = 'succeeded' | 'failed' | 'offline' | 'timedOut';

/** One device operation as the hub performed it: the proof of what ran, and how often. */
export interface OperationEntry {
  seq: number;
  at: string;
  deviceId: string;
  jobId?: string;
  operation: 'method' | 'twinUpdate';
  methodName?: string;
  attempt: number;
  outcome: OperationOutcome;
}

export interface MethodRequest {
  methodName: string;
  payload?: unknown;
  responseTimeoutInSeconds?: number;
  connectTimeoutInSeconds?: number;
}

export interface MethodResult {
  status: number;
  payload: unknown;
}

export interface MethodContext {
  jobId?: string;
  attempt?: number;
}
