import { z } from 'zod';
import { hubErrors } from '../hubError';
import type { FaultInjector } from './faults';
import type { RouteRequest, RouteResponse } from './hubRoutes';
import type { HubModelPort, OperationFilter } from './modelPort';
import type { RequestCounter } from './requestCounter';
import type { AdminRouteName } from './routes';

export interface AdminState {
  model: HubModelPort;
  faults: FaultInjector;
  requests: RequestCounter;
}

type AdminRouteHandler = (state: AdminState, request: RouteRequest) => RouteResponse;

const ok = (body: unknown): RouteResponse => ({ status: 200, body });

/** The admin API beside the hub contract, for tests and demos (README "Admin API"). */
export const adminRouteHandlers: Record<AdminRouteName, AdminRouteHandler> = {
  'admin.faults.add': ({ faults }, { body }) => {
    const fault = addFault(faults, body);
    return ok({ id: fault.id });
  },
  'admin.faults.list': ({ faults }) => ok(faults.list()),
  'admin.faults.clear': ({ faults }) => {
    faults.clear();
    return ok({});
  },
  'admin.devices.offline': ({ model }, { params }) => setOnline(model, params, false),
  'admin.devices.online': ({ model }, { params }) => setOnline(model, params, true),
  'admin.devices.offlineMany': ({ model }, { body }) => ok(model.behaviours.setOnline(body, false)),
  'admin.devices.onlineMany': ({ model }, { body }) => ok(model.behaviours.setOnline(body, true)),
  'admin.behaviours.set': ({ model }, { body }) => ok(model.behaviours.set(body)),
  'admin.behaviours.list': ({ model }) => ok(model.behaviours.list()),
  'admin.behaviours.clear': ({ model }, { body, query }) =>
    ok(model.behaviours.clear(body ?? selectorFromQuery(query))),
  'admin.operations.list': ({ model }, { query }) =>
    ok(model.operations.list(operationFilter(query))),
  'admin.operations.clear': ({ model }) => {
    model.operations.clear();
    return ok({});
  },
  'admin.requests.list': ({ requests }) => ok(requests.snapshot()),
  'admin.requests.clear': ({ requests }) => {
    requests.reset();
    return ok({});
  },
  'admin.answers.list': ({ requests }) => ok(requests.answerSnapshot()),
};

function addFault(faults: FaultInjector, body: unknown) {
  try {
    return faults.add(body as Parameters<FaultInjector['add']>[0]);
  } catch (error) {
    if (error instanceof z.ZodError) {
      const issues = error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw hubErrors.argumentInvalid(`Invalid fault: ${issues.join('; ')}`);
    }
    throw error;
  }
}

function setOnline(model: HubModelPort, params: Record<string, string>, online: boolean) {
  const deviceId = params['id'] ?? '';
  model.registry.setOnline(deviceId, online);
  return ok({ deviceId, online });
}

function operationFilter(query: URLSearchParams): OperationFilter {
  const deviceId = query.get('deviceId');
  const jobId = query.get('jobId');
  const sinceSeq = query.get('sinceSeq');
  if (sinceSeq && !/^\d+$/.test(sinceSeq)) {
    throw hubErrors.argumentInvalid('sinceSeq must be a non-negative integer.');
  }
  return {
    ...(deviceId ? { deviceId } : {}),
    ...(jobId ? { jobId } : {}),
    ...(sinceSeq ? { sinceSeq: Number(sinceSeq) } : {}),
  };
}

/** `?deviceId=a&deviceId=b` or `?condition=…`; nothing = every device. */
function selectorFromQuery(query: URLSearchParams): unknown {
  const deviceIds = query.getAll('deviceId');
  const condition = query.get('condition');
  return {
    ...(deviceIds.length > 0 ? { deviceIds } : {}),
    ...(condition !== null ? { condition } : {}),
  };
}
