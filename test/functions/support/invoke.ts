import {
  HttpRequest,
  HttpResponse,
  InvocationContext,
  type HttpResponseInit,
} from '@azure/functions';

export interface CallOptions {
  method?: string;
  /** Path and query under the host, e.g. `/api/jobs?pageSize=2`. */
  path: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  /** A value is sent as JSON; a string as it is. */
  body?: unknown;
}

/** Answers are read loosely, as a client script would; the assertions pin what matters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  logs: string[];
}

/** Runs an HTTP handler as the Functions worker would, and reads its answer as a client would. */
export async function callHttp(
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
  options: CallOptions,
): Promise<CallResult> {
  const logs: string[] = [];
  const body =
    options.body === undefined
      ? undefined
      : { string: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) };
  const request = new HttpRequest({
    method: options.method ?? 'GET',
    url: `http://127.0.0.1:7071${options.path}`,
    headers: { 'content-type': 'application/json', ...options.headers },
    params: options.params ?? {},
    ...(body === undefined ? {} : { body }),
  });
  const context = testContext(logs);
  const response = new HttpResponse(await handler(request, context));
  const text = await response.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, logs };
}

export function testContext(logs: string[], triggerMetadata?: Record<string, unknown>) {
  return new InvocationContext({
    invocationId: 'test-invocation',
    functionName: 'test',
    logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
    ...(triggerMetadata === undefined ? {} : { triggerMetadata }),
  });
}
