import { hubErrors } from '../hubError';
import { invokeOnConnection } from './connectedMethods';
import type { Delays } from './delays';
import type { DeviceLinks } from './deviceLinks';
import { deviceOutcome, methodLatencyOf } from './deviceBehaviour';
import type { DeviceStore } from './deviceStore';
import type { ParsedMethodRequest } from './methodRequest';
import type { OperationLog } from './operationLog';
import type { ResolvedHubOptions } from './resolveOptions';
import type { Clock, MethodContext, MethodResult, OperationOutcome } from './types';

export interface DirectMethodsDeps {
  store: DeviceStore;
  options: ResolvedHubOptions;
  log: OperationLog;
  clock: Clock;
  delays: Delays;
  links: DeviceLinks;
}

/**
 * Direct methods as `POST /twins/{id}/methods` and method jobs use them: a real (MQTT) device
 * answers for itself, any other device is simulated.
 */
export class DirectMethods {
  constructor(private readonly deps: DirectMethodsDeps) {}

  async invoke(
    deviceId: string,
    request: ParsedMethodRequest,
    context: MethodContext = {},
  ): Promise<MethodResult> {
    const { store, options, delays } = this.deps;
    const device = store.get(deviceId);
    if (!device) throw hubErrors.deviceNotFound(deviceId);
    const attempt = context.attempt ?? ++device.$.directCalls;
    if (this.deps.links.isReal(device)) {
      return invokeOnConnection(
        this.deps.links,
        device,
        request,
        (outcome) => this.record(deviceId, request.methodName, context.jobId, attempt, outcome),
        delays,
      );
    }
    const responseTimeoutMs = request.responseTimeoutInSeconds * 1000;
    const latencyMs = methodLatencyOf(options, device);
    let outcome = deviceOutcome(options, device, context.jobId ?? '', attempt);
    if (outcome !== 'offline' && latencyMs > responseTimeoutMs) outcome = 'timedOut';
    // Logged when the hub sends the request: the log proves what was sent, even mid-flight.
    this.record(deviceId, request.methodName, context.jobId, attempt, outcome);
    if (outcome === 'offline') throw hubErrors.deviceNotOnline(deviceId);
    device.$.lastActivityAt = this.deps.clock.now();
    await delays.wait(Math.min(latencyMs, responseTimeoutMs));
    if (outcome === 'timedOut') throw hubErrors.gatewayTimeout(deviceId);
    if (outcome === 'failed') {
      return {
        status: device.$.behaviour?.fail?.status ?? 500,
        payload: { error: 'The device failed to run the method.', methodName: request.methodName },
      };
    }
    return {
      status: 200,
      payload: {
        result: 'ok',
        methodName: request.methodName,
        deviceId,
        received: request.payload,
      },
    };
  }

  private record(
    deviceId: string,
    methodName: string,
    jobId: string | undefined,
    attempt: number,
    outcome: OperationOutcome,
  ): void {
    this.deps.log.append({
      deviceId,
      ...(jobId !== undefined ? { jobId } : {}),
      operation: 'method',
      methodName,
      attempt,
      outcome,
    });
  }
}
