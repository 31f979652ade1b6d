import { hubErrors } from '../hubError';
import { id, ifMatch, ok, optionalInteger, type HubRouteHandler } from './routeRequest';
import type { RegistryRouteName } from './routes';

function moduleId(params: Record<string, string>): string {
  const value = params['mid'];
  if (value === undefined) throw hubErrors.genericBadRequest('Missing module id in the path.');
  return value;
}

/** Bulk device operations, module identities and twins, configurations (README, Registry). */
export const registryRouteHandlers: Record<RegistryRouteName, HubRouteHandler> = {
  'devices.bulk': (model, { body }) => {
    const { status, result } = model.registry.bulk(body);
    return { status, body: result };
  },
  'modules.list': (model, { params }) => ok(model.modules.list(id(params))),
  'modules.put': (model, { params, headers, body }) => {
    const etag = ifMatch(headers);
    return ok(
      etag === undefined
        ? model.modules.create(id(params), moduleId(params), body)
        : model.modules.update(id(params), moduleId(params), body, etag),
    );
  },
  'modules.get': (model, { params }) => ok(model.modules.get(id(params), moduleId(params))),
  'modules.delete': (model, { params, headers }) => {
    model.modules.delete(id(params), moduleId(params), ifMatch(headers));
    return { status: 204 };
  },
  'moduleTwins.get': (model, { params }) => ok(model.modules.getTwin(id(params), moduleId(params))),
  'moduleTwins.patch': (model, { params, headers, body }) =>
    ok(model.modules.writeTwin(id(params), moduleId(params), body, ifMatch(headers), 'merge')),
  'moduleTwins.replace': (model, { params, headers, body }) =>
    ok(model.modules.writeTwin(id(params), moduleId(params), body, ifMatch(headers), 'replace')),
  'configurations.list': (model, { query }) =>
    ok(model.configurations.list(optionalInteger(query.get('top'), 'top'))),
  'configurations.put': (model, { params, headers, body }) =>
    ok(model.configurations.put(id(params), body, ifMatch(headers))),
  'configurations.get': (model, { params }) => ok(model.configurations.get(id(params))),
  'configurations.delete': (model, { params, headers }) => {
    model.configurations.delete(id(params), ifMatch(headers));
    return { status: 204 };
  },
};
