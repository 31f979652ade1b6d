import type { HttpFunctionOptions } from '@azure/functions';
import { parseRouteTemplate, splitPath, type RouteTemplate } from './routeTemplate';

export interface HttpFunction {
  name: string;
  options: HttpFunctionOptions;
}

export type RouteResult =
  | { kind: 'found'; fn: HttpFunction; params: Record<string, string> }
  | { kind: 'notFound' }
  | { kind: 'methodNotAllowed'; allow: string[] };

interface Route {
  fn: HttpFunction;
  template: RouteTemplate;
  methods: ReadonlySet<string>;
}

/** Finds the function serving a request path (below the route prefix) and method. */
export class HttpRouter {
  readonly #routes: Route[];
  readonly #prefix: string[];

  constructor(functions: readonly HttpFunction[], routePrefix: string) {
    this.#prefix = splitPath(routePrefix).map((segment) => segment.toLowerCase());
    this.#routes = functions.map((fn) => ({
      fn,
      // Like @azure/functions: the route defaults to the function name, methods to GET and POST.
      template: parseRouteTemplate(fn.options.route ?? fn.name),
      methods: new Set((fn.options.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase())),
    }));
    this.#routes.sort((a, b) => compareRanks(a.template.rank, b.template.rank));
  }

  route(method: string, pathname: string): RouteResult {
    const segments = this.#stripPrefix(splitPath(pathname));
    if (segments === undefined) return { kind: 'notFound' };
    const matches = this.#routes.flatMap((route) => {
      const params = route.template.match(segments);
      return params === undefined ? [] : [{ route, params }];
    });
    if (matches.length === 0) return { kind: 'notFound' };
    const upper = method.toUpperCase();
    const served = matches.find(({ route }) => route.methods.has(upper));
    if (served) return { kind: 'found', fn: served.route.fn, params: served.params };
    const allow = new Set(matches.flatMap(({ route }) => [...route.methods]));
    return { kind: 'methodNotAllowed', allow: [...allow].sort() };
  }

  #stripPrefix(segments: string[]): string[] | undefined {
    const head = segments.slice(0, this.#prefix.length).map((s) => s.toLowerCase());
    const matchesPrefix = this.#prefix.every((segment, index) => head[index] === segment);
    return matchesPrefix ? segments.slice(this.#prefix.length) : undefined;
  }
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return b.length - a.length;
}
