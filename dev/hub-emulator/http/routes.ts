/** The registry's module, bulk and configuration routes (`registryRoutes.ts`). */
export const registryRouteNames = [
  'devices.bulk',
  'modules.list',
  'modules.put',
  'modules.get',
  'modules.delete',
  'moduleTwins.get',
  'moduleTwins.patch',
  'moduleTwins.replace',
  'configurations.list',
  'configurations.put',
  'configurations.get',
  'configurations.delete',
] as const;
export type RegistryRouteName = (typeof registryRouteNames)[number];

/** Names of the hub's service routes; admin faults and request counts use them. */
export const hubRouteNames = [
  'devices.create',
  'devices.get',
  'devices.delete',
  'devices.list',
  'devices.query',
  'twins.get',
  'twins.patch',
  'twins.replace',
  'methods.invoke',
  'jobs.create',
  'jobs.get',
  'jobs.cancel',
  'jobs.query',
  ...registryRouteNames,
] as const;
export type HubRouteName = (typeof hubRouteNames)[number];

export const adminRouteNames = [
  'admin.faults.add',
  'admin.faults.list',
  'admin.faults.clear',
  'admin.devices.offline',
  'admin.devices.online',
  'admin.devices.offlineMany',
  'admin.devices.onlineMany',
  'admin.behaviours.set',
  'admin.behaviours.list',
  'admin.behaviours.clear',
  'admin.operations.list',
  'admin.operations.clear',
  'admin.requests.list',
  'admin.requests.clear',
  'admin.answers.list',
] as const;
export type AdminRouteName = (typeof adminRouteNames)[number];

export type RouteName = HubRouteName | AdminRouteName;

export type RouteMatch =
  | { kind: 'route'; name: RouteName; params: Record<string, string> }
  | { kind: 'methodNotAllowed' }
  | { kind: 'notFound' };

interface RouteDefinition {
  method: string;
  /** Literal segments, or `:name` for a parameter (one URL-decoded segment). */
  segments: readonly string[];
  name: RouteName;
}

function route(method: string, pattern: string, name: RouteName): RouteDefinition {
  return { method, segments: pattern.split('/').filter(Boolean), name };
}

// Order matters: the first match wins, so `/jobs/v2/query` comes before `/jobs/v2/:id`.
const routeTable: readonly RouteDefinition[] = [
  route('POST', '/devices/query', 'devices.query'),
  route('GET', '/devices', 'devices.list'),
  route('POST', '/devices', 'devices.bulk'),
  route('GET', '/devices/:id/modules', 'modules.list'),
  route('PUT', '/devices/:id/modules/:mid', 'modules.put'),
  route('GET', '/devices/:id/modules/:mid', 'modules.get'),
  route('DELETE', '/devices/:id/modules/:mid', 'modules.delete'),
  route('GET', '/twins/:id/modules/:mid', 'moduleTwins.get'),
  route('PATCH', '/twins/:id/modules/:mid', 'moduleTwins.patch'),
  route('PUT', '/twins/:id/modules/:mid', 'moduleTwins.replace'),
  route('GET', '/configurations', 'configurations.list'),
  route('PUT', '/configurations/:id', 'configurations.put'),
  route('GET', '/configurations/:id', 'configurations.get'),
  route('DELETE', '/configurations/:id', 'configurations.delete'),
  route('PUT', '/devices/:id', 'devices.create'),
  route('GET', '/devices/:id', 'devices.get'),
  route('DELETE', '/devices/:id', 'devices.delete'),
  route('GET', '/twins/:id', 'twins.get'),
  route('PATCH', '/twins/:id', 'twins.patch'),
  route('PUT', '/twins/:id', 'twins.replace'),
  route('POST', '/twins/:id/methods', 'methods.invoke'),
  route('GET', '/jobs/v2/query', 'jobs.query'),
  route('PUT', '/jobs/v2/:id', 'jobs.create'),
  route('GET', '/jobs/v2/:id', 'jobs.get'),
  route('POST', '/jobs/v2/:id/cancel', 'jobs.cancel'),
  route('POST', '/admin/faults', 'admin.faults.add'),
  route('GET', '/admin/faults', 'admin.faults.list'),
  route('DELETE', '/admin/faults', 'admin.faults.clear'),
  route('POST', '/admin/devices/:id/offline', 'admin.devices.offline'),
  route('POST', '/admin/devices/:id/online', 'admin.devices.online'),
  route('POST', '/admin/devices/offline', 'admin.devices.offlineMany'),
  route('POST', '/admin/devices/online', 'admin.devices.onlineMany'),
  route('POST', '/admin/behaviours', 'admin.behaviours.set'),
  route('GET', '/admin/behaviours', 'admin.behaviours.list'),
  route('DELETE', '/admin/behaviours', 'admin.behaviours.clear'),
  route('GET', '/admin/operations', 'admin.operations.list'),
  route('DELETE', '/admin/operations', 'admin.operations.clear'),
  route('GET', '/admin/requests', 'admin.requests.list'),
  route('DELETE', '/admin/requests', 'admin.requests.clear'),
  route('GET', '/admin/answers', 'admin.answers.list'),
];

/** Finds the route for a method and a raw (still encoded) path without its query string. */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const segments = rawPath.split('/').filter(Boolean);
  let pathMatched = false;
  for (const definition of routeTable) {
    const params = matchSegments(definition.segments, segments);
    if (!params) continue;
    if (definition.method === method.toUpperCase()) {
      return { kind: 'route', name: definition.name, params };
    }
    pathMatched = true;
  }
  return pathMatched ? { kind: 'methodNotAllowed' } : { kind: 'notFound' };
}

export function isHubRoute(name: RouteName): name is HubRouteName {
  return !name.startsWith('admin.');
}

function matchSegments(
  pattern: readonly string[],
  actual: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const segment = actual[index] ?? '';
    if (expected.startsWith(':')) {
      const decoded = decodeSegment(segment);
      if (decoded === undefined || decoded === '') return undefined;
      params[expected.slice(1)] = decoded;
    } else if (expected.toLowerCase() !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
