import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isAuthorized, type FunctionKeyPolicy } from './functionKeys';
import type { HostLog } from './hostLog';
import type { HttpRouter } from './httpRouter';
import type { InFlight } from './inFlight';
import { sendProblem } from './problemResponse';
import { runInvocation } from './runInvocation';
import { readRequestBody, requestUrl, toHttpRequest } from './toHttpRequest';
import { writeHttpResponse } from './writeHttpResponse';

export interface HttpTriggerHost {
  router: HttpRouter;
  keys: FunctionKeyPolicy;
  log: HostLog;
  inFlight: InFlight;
  /** The port actually bound (known only once listening). */
  port(): number;
}

/** Serves every HTTP function; each request counts as in flight until its answer is sent. */
export function createRequestListener(host: HttpTriggerHost): RequestListener {
  return (request, response) => {
    void host.inFlight.track(
      handleRequest(host, request, response).catch((error: unknown) => {
        host.log('host', 'error', `${request.method} ${request.url} failed:`, error);
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      }),
    );
  };
}

async function handleRequest(
  host: HttpTriggerHost,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET';
  const url = requestUrl(request, host.port());
  const target = host.router.route(method, url.pathname);
  if (target.kind !== 'found') {
    request.resume();
    if (target.kind === 'notFound') {
      const detail = `No function serves ${method} ${url.pathname}.`;
      sendProblem(response, { status: 404, code: 'ROUTE_NOT_FOUND', title: 'Not Found', detail });
    } else {
      const detail = `${url.pathname} does not accept ${method}; it accepts ${target.allow.join(', ')}.`;
      const problem = {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        title: 'Method Not Allowed',
      } as const;
      sendProblem(response, { ...problem, detail }, { allow: target.allow.join(', ') });
    }
    return;
  }
  const { fn, params } = target;
  if (!isAuthorized(fn.options.authLevel, request.headers, url.searchParams, host.keys)) {
    request.resume();
    const detail = 'A valid function key is required.';
    sendProblem(response, { status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized', detail });
    return;
  }
  const body = await readRequestBody(request);
  if (body === undefined) {
    const detail = 'The request body exceeds the 100 MB limit.';
    const problem = { status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Content Too Large' } as const;
    sendProblem(response, { ...problem, detail }, { connection: 'close' });
    return;
  }
  const outcome = await runInvocation(host.log, {
    functionName: fn.name,
    trigger: { type: 'httpTrigger', name: 'request', ...triggerOptions(fn.options) },
    handler: fn.options.handler,
    input: toHttpRequest(request, url, body, params),
    reason: `${method} ${url.pathname}`,
  });
  // The Functions host answers a failed invocation with an empty 500.
  if (!outcome.ok) response.writeHead(500).end();
  else await writeHttpResponse(response, outcome.result);
}

function triggerOptions(options: {
  methods?: string[];
  authLevel?: string;
  route?: string;
}): Record<string, unknown> {
  return { methods: options.methods, authLevel: options.authLevel, route: options.route };
}
