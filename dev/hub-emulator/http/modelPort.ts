/**
 * What the HTTP layer needs from the hub model (`model/HubModel` satisfies it structurally), so
 * the HTTP surface can be tested on its own with a stand-in.
 */
export interface PageRequest {
  pageSize?: number;
  continuationToken?: string;
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  continuationToken?: string;
}

export interface MethodRequest {
  methodName: string;
  payload?: unknown;
  responseTimeoutInSeconds?: number;
  connectTimeoutInSeconds?: number;
}

export interface OperationFilter {
  deviceId?: string;
  jobId?: string;
  sinceSeq?: number;
}

export interface HubModelPort {
  readonly registry: {
    createDevice(deviceId: string, body: unknown): object;
    getDevice(deviceId: string): object;
    deleteDevice(deviceId: string, ifMatch?: string): void;
    listDevices(top?: number): object[];
    getTwin(deviceId: string): object;
    patchTwin(deviceId: string, patch: unknown, ifMatch?: string): object;
    replaceTwin(deviceId: string, twin: unknown, ifMatch?: string): object;
    setOnline(deviceId: string, online: boolean): void;
    invokeMethod(
      deviceId: string,
      request: MethodRequest,
    ): Promise<{ status: number; payload: unknown }>;
  };
  readonly jobs: {
    create(jobIdFromPath: string, body: unknown): object;
    get(jobId: string): object;
    cancel(jobId: string): object;
    query(filter: { jobType?: string; jobStatus?: string }, page: PageRequest): Page<object>;
  };
  /** Bodies are parsed by the model, which answers 400 for a bad one. */
  readonly behaviours: {
    set(body: unknown): { devices: number };
    list(): object[];
    clear(body: unknown): { devices: number };
    setOnline(body: unknown, online: boolean): { devices: number };
  };
  readonly operations: {
    list(filter?: OperationFilter): object[];
    clear(): void;
  };
  query(sql: string, page: PageRequest): Page<object> & { itemType: string };
  close(): void;
}
