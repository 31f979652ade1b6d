import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest } from 'node:http';

/**
 * `azure-iothub` takes no abort signal, so a hub call's signal travels beside it: every HTTP
 * request an SDK client builds while the call runs is destroyed, socket and all, when the signal
 * aborts. A timed-out call then holds no socket and the hub sees the connection close.
 */
const callSignal = new AsyncLocalStorage<AbortSignal>();
const tracked = Symbol('hubjobs.abortableRequests');

/** Runs `call` so that the requests it sends are destroyed once `signal` aborts. */
export function runAbortable<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
  return callSignal.run(signal, call);
}

type BuildRequest = (...args: unknown[]) => ClientRequest;

interface SdkHttp {
  buildRequest: BuildRequest;
  [tracked]?: true;
}

interface RestApiClientHolder {
  _restApiClient?: { _http?: SdkHttp };
}

/**
 * Hooks an SDK client (JobClient, Registry) so its requests obey `runAbortable`. The SDK builds
 * every request through one `Http.buildRequest`, which returns the Node `ClientRequest`; that is
 * the only handle on the socket. Idempotent; throws when the SDK no longer has that shape.
 */
export function makeRequestsAbortable(client: object): void {
  const http = (client as RestApiClientHolder)._restApiClient?._http;
  if (typeof http?.buildRequest !== 'function') {
    throw new Error('azure-iothub changed: its client has no _restApiClient._http.buildRequest.');
  }
  if (http[tracked]) return;
  const build = http.buildRequest.bind(http);
  http.buildRequest = (...args) => destroyOnAbort(build(...args), callSignal.getStore());
  http[tracked] = true;
}

function destroyOnAbort(request: ClientRequest, signal: AbortSignal | undefined): ClientRequest {
  if (signal === undefined) return request;
  const abort = () => request.destroy(abortError(signal));
  if (signal.aborted) {
    // After the SDK's synchronous write and end, so they meet a live request.
    process.nextTick(abort);
    return request;
  }
  signal.addEventListener('abort', abort, { once: true });
  request.once('close', () => signal.removeEventListener('abort', abort));
  return request;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('The hub call was aborted.');
}
