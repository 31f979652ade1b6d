import { readFile } from 'node:fs/promises';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { createSharedAccessSignature } from './http/auth';
import type { Fault, FaultSpec } from './http/faults';
import type { OperationFilter } from './http/modelPort';
import type { AnswerCounts } from './http/requestCounter';
import type { HubRouteName } from './http/routes';
import type { BehaviourEntry, BehaviourSpec, OperationEntry } from './model';

export interface HubAdminClientOptions {
  /** `https://127.0.0.1:<port>` of the emulator. */
  endpoint: string;
  /** The emulator's connection string: admin calls use the same SAS as hub calls. */
  connectionString: string;
  /** PEM of the emulator's CA. */
  ca?: string | Buffer;
}

/** One entry of the emulator's per-device operation log, as the admin API returns it. */
export type OperationLogEntry = OperationEntry;

/** Devices by id (a list) or by a query condition (a string), evaluated once when sent. */
export type DeviceSelection = readonly string[] | string;

/** A typed client for the emulator's admin API (faults, device behaviours, logs, request counts). */
export class HubAdminClient {
  private readonly url: URL;
  private readonly hostName: string;
  private readonly policyName: string;
  private readonly key: string;

  constructor(private readonly options: HubAdminClientOptions) {
    this.url = new URL(options.endpoint);
    const parts = parseConnectionString(options.connectionString);
    this.hostName = parts.hostName;
    this.policyName = parts.policyName;
    this.key = parts.key;
  }

  /** From the JSON the emulator writes to its info file. */
  static async fromInfoFile(infoFile: string): Promise<HubAdminClient> {
    const info = JSON.parse(await readFile(infoFile, 'utf8')) as {
      endpoint: string;
      connectionString: string;
      caFile: string;
    };
    return new HubAdminClient({ ...info, ca: await readFile(info.caFile) });
  }

  addFault(spec: FaultSpec): Promise<{ id: string }> {
    return this.call('POST', '/admin/faults', spec);
  }
  listFaults(): Promise<Fault[]> {
    return this.call('GET', '/admin/faults');
  }
  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/admin/faults');
  }
  async setDeviceOnline(deviceId: string, online: boolean): Promise<void> {
    const action = online ? 'online' : 'offline';
    await this.call('POST', `/admin/devices/${encodeURIComponent(deviceId)}/${action}`);
  }
  /** Takes many devices off line or back on at once; answers how many were selected. */
  setDevicesOnline(devices: DeviceSelection, online: boolean): Promise<{ devices: number }> {
    const action = online ? 'online' : 'offline';
    return this.call('POST', `/admin/devices/${action}`, selectionBody(devices));
  }
  /** Replaces the sticky behaviour of the selected devices until it is changed or cleared. */
  setBehaviour(devices: DeviceSelection, behaviour: BehaviourSpec): Promise<{ devices: number }> {
    return this.call('POST', '/admin/behaviours', { ...selectionBody(devices), behaviour });
  }
  listBehaviours(): Promise<BehaviourEntry[]> {
    return this.call('GET', '/admin/behaviours');
  }
  /** Back to the seeded behaviour, online, for the selected devices (all without a selection). */
  clearBehaviours(devices?: DeviceSelection): Promise<{ devices: number }> {
    const body = devices === undefined ? undefined : selectionBody(devices);
    return this.call('DELETE', '/admin/behaviours', body);
  }
  listOperations(filter: OperationFilter = {}): Promise<OperationLogEntry[]> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) {
      if (value !== undefined) query.set(name, String(value));
    }
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    return this.call('GET', `/admin/operations${suffix}`);
  }
  async clearOperations(): Promise<void> {
    await this.call('DELETE', '/admin/operations');
  }
  requestCounts(): Promise<Partial<Record<HubRouteName, number>>> {
    return this.call('GET', '/admin/requests');
  }
  /** How each route's requests were answered: `{ "jobs.create": { "200": 3, "429004": 1 } }`. */
  answerCounts(): Promise<Partial<Record<HubRouteName, AnswerCounts>>> {
    return this.call('GET', '/admin/answers');
  }
  /** Clears the request and the answer counts. */
  async resetRequestCounts(): Promise<void> {
    await this.call('DELETE', '/admin/requests');
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const authorization = createSharedAccessSignature({
      resource: this.hostName,
      policyName: this.policyName,
      key: this.key,
      expiresAtSeconds: Math.ceil(Date.now() / 1000) + 3600,
    });
    const headers: Record<string, string> = { host: this.hostName, authorization };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      // Node sends a DELETE body without chunking, so only a length delimits it.
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise<T>((resolve, reject) => {
      const request = https.request(
        {
          method,
          host: this.url.hostname,
          port: Number(this.url.port || 443),
          path,
          headers,
          agent: false,
          ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
          servername: isIP(this.url.hostname) === 0 ? this.url.hostname : 'localhost',
        },
        (response) => {
          collectJson<T>(response, method, path).then(resolve, reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

function selectionBody(devices: DeviceSelection) {
  return typeof devices === 'string' ? { condition: devices } : { deviceIds: [...devices] };
}

async function collectJson<T>(
  response: import('node:http').IncomingMessage,
  method: string,
  path: string,
): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const status = response.statusCode ?? 0;
  if (status >= 300) throw new Error(`Admin ${method} ${path} failed with ${status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

function parseConnectionString(connectionString: string) {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0) fields.set(part.slice(0, separator), part.slice(separator + 1));
  }
  const hostName = fields.get('HostName');
  const policyName = fields.get('SharedAccessKeyName');
  const key = fields.get('SharedAccessKey');
  if (!hostName || !policyName || !key) {
    throw new Error(
      'The connection string needs HostName, SharedAccessKeyName and SharedAccessKey.',
    );
  }
  return { hostName, policyName, key };
}
