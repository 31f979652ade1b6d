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
    updateDevice(deviceId: string, body: unknown, ifMatch: string | undefined): object;
    /** `POST /devices`: 200 when every entry succeeded, 400 naming the failed ones. */
    bulk(body: unknown): { status: 200 | 400; result: object };
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
  readonly modules: {
    create(deviceId: string, moduleId: string, body: unknown): object;
    update(deviceId: string, moduleId: string, body: unknown, ifMatch: string | undefined): object;
    get(deviceId: string, moduleId: string): object;
    list(deviceId: string): object[];
    delete(deviceId: string, moduleId: string, ifMatch: string | undefined): void;
    getTwin(deviceId: string, moduleId: string): object;
    writeTwin(
      deviceId: string,
      moduleId: string,
      body: unknown,
      ifMatch: string | undefined,
      mode: 'merge' | 'replace',
    ): object;
  };
  readonly configurations: {
    put(id: string, body: unknown, ifMatch: string | undefined): object;
    get(id: string): object;
    list(top?: number): object[];
    delete(id: string, ifMatch: string | undefined): void;
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
