import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HubError } from '../hubError';
import { hubRouteNames, type HubRouteName } from './routes';

export const faultSpecSchema = z
  .object({
    route: z.enum([...hubRouteNames, '*']),
    /** HTTP status to fail with; 0 or absent with `delayMs` = a slow success. */
    status: z.number().int().min(0).max(599).optional(),
    code: z.number().int().min(100000).max(599999).optional(),
    codeName: z.string().min(1).max(100).optional(),
    message: z.string().max(1000).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** How many matching requests this fault hits. */
    count: z.number().int().min(1).default(1),
    delayMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict()
  .refine((spec) => spec.status === undefined || spec.status === 0 || spec.status >= 400, {
    message: 'status must be 0 (no error) or an HTTP error status (400..599)',
  })
  .refine((spec) => (spec.status ?? 0) >= 400 || spec.delayMs !== undefined, {
    message: 'a fault needs an error status, a delayMs, or both',
  });

export type FaultSpec = z.input<typeof faultSpecSchema>;

export interface Fault {
  id: string;
  route: HubRouteName | '*';
  status?: number;
  code?: number;
  codeName?: string;
  message?: string;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Matching requests still to hit. */
  remaining: number;
}

/** What happens to one request hit by a fault: wait first, then maybe fail. */
export interface FaultEffect {
  delayMs: number;
  error?: HubError;
}

/** Faults injected through the admin API, consumed in the order they were added. */
export class FaultInjector {
  private faults: Fault[] = [];

  add(spec: FaultSpec): Fault {
    const parsed = faultSpecSchema.parse(spec);
    const { count, ...rest } = parsed;
    const fault: Fault = { id: randomUUID(), ...rest, remaining: count };
    this.faults.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes one hit of the first fault that applies to `route`, if any. */
  take(route: HubRouteName): FaultEffect | undefined {
    const fault = this.faults.find(
      (candidate) => candidate.route === route || candidate.route === '*',
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return { delayMs: fault.delayMs ?? 0, error: faultError(fault) };
  }
}

const defaultCodeNames: Record<number, string> = {
  400: 'GenericBadRequest',
  401: 'IotHubUnauthorizedAccess',
  403: 'IotHubQuotaExceeded',
  404: 'DeviceNotFound',
  409: 'JobAlreadyExists',
  412: 'PreconditionFailed',
  429: 'ThrottlingException',
  500: 'ServerError',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const defaultCodes: Record<number, number> = {
  401: 401002,
  403: 403002,
  409: 409104,
  504: 504101,
};

function faultError(fault: Fault): HubError | undefined {
  const status = fault.status ?? 0;
  if (status < 400) return undefined;
  const code = fault.code ?? defaultCodes[status] ?? status * 1000 + (status === 400 ? 0 : 1);
  const codeName = fault.codeName ?? defaultCodeNames[status] ?? 'InjectedFault';
  const headers: Record<string, string> =
    fault.retryAfterSeconds !== undefined
      ? { 'retry-after': String(fault.retryAfterSeconds) }
      : status === 429 || status === 503
        ? { 'retry-after': '1' }
        : {};
  return new HubError(status, code, codeName, fault.message ?? 'Injected fault.', headers);
}
