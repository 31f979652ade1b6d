import type { IncomingMessage, ServerResponse } from 'node:http';
import { HubError, hubErrors } from '../hubError';
import { adminRouteHandlers, type AdminState } from './adminRoutes';
import { authorizeRequest, type AuthorizationRules } from './auth';
import { asHubError, renderHubError, type ErrorFormat } from './errorBody';
import { hubRouteHandlers, type RouteRequest, type RouteResponse } from './hubRoutes';
import type { HubRateLimits } from './rateLimits';
import { readJsonBody } from './requestBody';
import { isHubRoute, matchRoute, type HubRouteName } from './routes';

export const supportedApiVersion = '2021-04-12';

export interface RequestHandlerDependencies extends AdminState {
  authorization: AuthorizationRules;
  errorFormat: ErrorFormat;
  rateLimits: HubRateLimits;
  maxBodyBytes: number;
  /** Added to every hub answer, to look like a hub across the internet. */
  responseLatencyMs: number;
  /** Resolves after `ms`; rejects once the server shuts down. */
  wait(ms: number): Promise<void>;
  /** Aborted when the server shuts down: pending answers are dropped, not written. */
  shutdown: AbortSignal;
  log(line: string): void;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export function createRequestHandler(dependencies: RequestHandlerDependencies) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    void handle(dependencies, request, response);
  };
}

async function handle(
  dependencies: RequestHandlerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let answer: Answer;
  try {
    answer = toAnswer(await answerRequest(dependencies, request));
  } catch (error) {
    if (dependencies.shutdown.aborted) {
      response.destroy();
      return;
    }
    if (!(error instanceof HubError)) logUnexpected(dependencies, request, error);
    answer = renderHubError(asHubError(error), dependencies.errorFormat);
  }
  writeAnswer(response, answer);
}

async function answerRequest(
  dependencies: RequestHandlerDependencies,
  request: IncomingMessage,
): Promise<RouteResponse> {
  const url = new URL(request.url ?? '/', 'https://hub.invalid');
  const method = request.method ?? 'GET';
  const match = matchRoute(method, url.pathname);
  authorizeRequest(request.headers.authorization, request.headers.host, dependencies.authorization);
  if (match.kind === 'notFound') throw routeNotFound(method, url.pathname);
  if (match.kind === 'methodNotAllowed') throw methodNotAllowed(method, url.pathname);
  const body = await readJsonBody(request, dependencies.maxBodyBytes);
  const routeRequest = {
    params: match.params,
    query: url.searchParams,
    headers: request.headers,
    body,
  };
  if (!isHubRoute(match.name)) return adminRouteHandlers[match.name](dependencies, routeRequest);
  try {
    return await answerHubRequest(dependencies, match.name, routeRequest);
  } finally {
    if (dependencies.responseLatencyMs > 0) await dependencies.wait(dependencies.responseLatencyMs);
  }
}

/** Order: api-version, count, injected fault, rate limit, then the model. */
async function answerHubRequest(
  dependencies: RequestHandlerDependencies,
  route: HubRouteName,
  request: RouteRequest,
): Promise<RouteResponse> {
  if (request.query.get('api-version') !== supportedApiVersion) {
    throw hubErrors.invalidProtocolVersion();
  }
  dependencies.requests.record(route);
  try {
    const response = await answerCountedRequest(dependencies, route, request);
    dependencies.requests.recordAnswer(route, response.status);
    return response;
  } catch (error) {
    if (!dependencies.shutdown.aborted) {
      dependencies.requests.recordAnswer(route, asHubError(error).code);
    }
    throw error;
  }
}

async function answerCountedRequest(
  dependencies: RequestHandlerDependencies,
  route: HubRouteName,
  request: RouteRequest,
): Promise<RouteResponse> {
  const fault = dependencies.faults.take(route);
  if (fault && fault.delayMs > 0) await dependencies.wait(fault.delayMs);
  if (fault?.error) throw fault.error;
  dependencies.rateLimits.admit(route);
  return hubRouteHandlers[route](dependencies.model, request);
}

function toAnswer(response: RouteResponse): Answer {
  return {
    status: response.status,
    headers: response.headers ?? {},
    ...(response.body === undefined ? {} : { body: JSON.stringify(response.body) }),
  };
}

function writeAnswer(response: ServerResponse, answer: Answer): void {
  if (response.destroyed) return;
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    ...answer.headers,
  };
  if (answer.body !== undefined) headers['content-length'] = Buffer.byteLength(answer.body);
  response.writeHead(answer.status, headers);
  response.end(answer.body);
}

function routeNotFound(method: string, path: string): HubError {
  return new HubError(404, 404000, 'GenericNotFound', `No resource at ${method} ${path}.`);
}

function methodNotAllowed(method: string, path: string): HubError {
  return new HubError(
    405,
    405000,
    'GenericMethodNotAllowed',
    `${method} is not allowed on ${path}.`,
  );
}

function logUnexpected(
  dependencies: RequestHandlerDependencies,
  request: IncomingMessage,
  error: unknown,
): void {
  const path = (request.url ?? '').split('?')[0];
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  dependencies.log(`hub emulator: unexpected error on ${request.method} ${path}: ${detail}`);
}
