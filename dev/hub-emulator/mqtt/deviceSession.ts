import { HubError, hubErrors } from '../hubError';
import type { DeviceLink, LinkMethodCall } from '../model/deviceLinks';
import type { DeviceSide } from '../model/deviceSide';
import type { JsonObject, MethodResult } from '../model/types';
import {
  desiredChangeTopic,
  desiredChangesFilter,
  methodRequestsFilter,
  methodRequestTopic,
  parseDeviceTopic,
  twinResponsesFilter,
  twinResponseTopic,
  type DeviceMessage,
} from './topics';

/** What a session needs of its MQTT connection. */
export interface SessionWire {
  isSubscribed(filter: string): boolean;
  send(topic: string, payload: string): void;
  /** Closes the device's connection. */
  close(): void;
}

interface PendingCall {
  resolve(result: MethodResult): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One connected device: the hub's side of its MQTT conversation. */
export class DeviceSession implements DeviceLink {
  private readonly pending = new Map<string, PendingCall>();
  private nextRid = 0;
  private closed = false;

  constructor(
    readonly deviceId: string,
    private readonly wire: SessionWire,
    private readonly side: DeviceSide,
  ) {}

  acceptsMethods(): boolean {
    return !this.closed && this.wire.isSubscribed(methodRequestsFilter);
  }

  invokeMethod(call: LinkMethodCall): Promise<MethodResult> {
    // The hub's answer both when the device is gone and when it never subscribed to methods.
    if (!this.acceptsMethods()) {
      return Promise.reject(hubErrors.deviceNotOnline(this.deviceId));
    }
    const rid = String(++this.nextRid);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(hubErrors.gatewayTimeout(this.deviceId));
      }, call.responseTimeoutMs);
      this.pending.set(rid, { resolve, reject, timer });
      this.wire.send(
        methodRequestTopic(call.methodName, rid),
        JSON.stringify(call.payload ?? null),
      );
    });
  }

  drop(): void {
    this.wire.close();
  }

  sendDesired(patch: JsonObject): void {
    if (this.closed || !this.wire.isSubscribed(desiredChangesFilter)) return;
    this.wire.send(desiredChangeTopic(Number(patch.$version)), JSON.stringify(patch));
  }

  /** Handles a device's publish; false when the topic is not one a device may use. */
  receive(topic: string, payload: Buffer): boolean {
    const message = parseDeviceTopic(this.deviceId, topic);
    if (!message || this.closed) return false;
    this.handle(message, payload);
    return true;
  }

  /**
   * Calls still awaiting an answer were delivered: the hub reports those as timed out (unless
   * a `reason` such as the hub's own shutdown is given).
   */
  close(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(reason ?? hubErrors.gatewayTimeout(this.deviceId));
    }
    this.pending.clear();
  }

  private handle(message: DeviceMessage, payload: Buffer): void {
    switch (message.kind) {
      case 'methodResponse':
        this.answerCall(message.rid, message.status, payload);
        return;
      case 'twinGet':
        this.twinAnswer(message.rid, () => ({ status: 200, body: this.side.twin(this.deviceId) }));
        return;
      case 'reportedPatch':
        this.twinAnswer(message.rid, () => {
          const version = this.side.reportProperties(this.deviceId, parseJson(payload));
          return { status: 204, body: undefined, version };
        });
        return;
      case 'telemetry':
        return; // accepted and dropped: the emulator has no telemetry routes
    }
  }

  private answerCall(rid: string, status: number, payload: Buffer): void {
    const call = this.pending.get(rid);
    if (!call) return; // late or unknown: the hub has already answered the caller
    this.pending.delete(rid);
    clearTimeout(call.timer);
    call.resolve({ status, payload: parseJson(payload) });
  }

  private twinAnswer(
    rid: string,
    run: () => { status: number; body: JsonObject | undefined; version?: number },
  ): void {
    let answer: { status: number; body: JsonObject | undefined; version?: number };
    try {
      answer = run();
    } catch (error) {
      const hubError = error instanceof HubError ? error : hubErrors.serverError();
      answer = {
        status: hubError.status,
        body: { errorCode: hubError.code, message: hubError.message },
      };
    }
    if (!this.wire.isSubscribed(twinResponsesFilter)) return;
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    this.wire.send(twinResponseTopic(answer.status, rid, answer.version), body);
  }
}

/** A device's JSON, or its text when it is not JSON; empty means null. */
function parseJson(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
