import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { hubErrors } from '../hubError';
import type { Page, PageRequest } from './modelPort';
import { registryRouteHandlers } from './registryRoutes';
import {
  headerValue,
  id,
  ifMatch,
  ok,
  optionalField,
  optionalInteger,
  type HubRouteHandler,
  type RouteResponse,
} from './routeRequest';
import type { HubRouteName } from './routes';

/** The hub's service contract (docs/iothub.md), one handler per route. */
export const hubRouteHandlers: Record<HubRouteName, HubRouteHandler> = {
  ...registryRouteHandlers,
  // With If-Match it is an update (the SDK's update() sends "*"); without, a create.
  'devices.create': (model, { params, body, headers }) => {
    const etag = ifMatch(headers);
    return ok(
      etag === undefined
        ? model.registry.createDevice(id(params), body)
        : model.registry.updateDevice(id(params), body, etag),
    );
  },
  'devices.get': (model, { params }) => ok(model.registry.getDevice(id(params))),
  'devices.delete': (model, { params, headers }) => {
    model.registry.deleteDevice(id(params), ifMatch(headers));
    return { status: 204 };
  },
  'devices.list': (model, { query }) =>
    ok(model.registry.listDevices(optionalInteger(query.get('top'), 'top'))),
  'devices.query': (model, { headers, body }) => {
    const page = model.query(queryText(body), pageRequest(headers));
    return pageResponse(page, page.itemType);
  },
  'twins.get': (model, { params }) => ok(model.registry.getTwin(id(params))),
  'twins.patch': (model, { params, headers, body }) =>
    ok(model.registry.patchTwin(id(params), body, ifMatch(headers))),
  'twins.replace': (model, { params, headers, body }) =>
    ok(model.registry.replaceTwin(id(params), body, ifMatch(headers))),
  'methods.invoke': async (model, { params, body }) =>
    ok(await model.registry.invokeMethod(id(params), methodRequest(body))),
  'jobs.create': (model, { params, body }) => ok(model.jobs.create(id(params), body)),
  'jobs.get': (model, { params }) => ok(model.jobs.get(id(params))),
  'jobs.cancel': (model, { params }) => ok(model.jobs.cancel(id(params))),
  'jobs.query': (model, { query, headers }) => {
    const filter = {
      ...optionalField('jobType', query.get('jobType')),
      ...optionalField('jobStatus', query.get('jobStatus')),
    };
    return pageResponse(model.jobs.query(filter, pageRequest(headers, query)), 'JobResponse');
  },
};

/** Arrays go out as they are; the continuation header appears only when more pages exist. */
function pageResponse(page: Page<object>, itemType: string): RouteResponse {
  const headers: Record<string, string> = { 'x-ms-item-type': itemType };
  if (page.continuationToken !== undefined) headers['x-ms-continuation'] = page.continuationToken;
  return ok(page.items, headers);
}

/** SDKs page with headers; the devguide's `pageSize`/`continuationToken` params work too. */
function pageRequest(headers: IncomingHttpHeaders, query?: URLSearchParams): PageRequest {
  const size = headerValue(headers, 'x-ms-max-item-count') ?? query?.get('pageSize') ?? undefined;
  const token =
    headerValue(headers, 'x-ms-continuation') ?? query?.get('continuationToken') ?? undefined;
  const pageSize = optionalInteger(size, 'x-ms-max-item-count');
  return {
    ...(pageSize === undefined ? {} : { pageSize }),
    ...(token ? { continuationToken: token } : {}),
  };
}

const queryBodySchema = z.object({ query: z.string().min(1) });

function queryText(body: unknown): string {
  const parsed = queryBodySchema.safeParse(body);
  if (!parsed.success) throw hubErrors.genericBadRequest('The body must be {"query": "<sql>"}.');
  return parsed.data.query;
}

const methodRequestSchema = z.looseObject({
  methodName: z.string().min(1),
  payload: z.unknown().optional(),
  responseTimeoutInSeconds: z.number().optional(),
  connectTimeoutInSeconds: z.number().optional(),
});

function methodRequest(body: unknown) {
  const parsed = methodRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw hubErrors.argumentInvalid('The body must be a method request with a methodName.');
  }
  return parsed.data;
}

export type { RouteRequest, RouteResponse } from './routeRequest';
