import type { DeviceState } from './deviceState';
import { bumpTwinVersion } from './deviceState';
import { mergeInto } from './twinPatch';
import { deepCopy } from './twinJson';
import type { JsonObject } from './types';

interface PendingEcho {
  dueAt: number;
  device: DeviceState;
  desired: JsonObject;
}

/**
 * Simulated devices copy each desired patch into their reported properties after a latency.
 * One queue, in due order (the latency is the same for every patch), driven by the engine loop.
 */
export class ReportedEcho {
  private queue: PendingEcho[] = [];
  private head = 0;

  constructor(private readonly latencyMs: number) {}

  schedule(device: DeviceState, desiredPatch: JsonObject, now: number): void {
    this.queue.push({
      dueAt: now + this.latencyMs,
      device,
      desired: deepCopy(desiredPatch),
    });
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Engine step: applies every echo that is due; answers when the next one is. */
  step(now: number): number | undefined {
    while (this.head < this.queue.length) {
      const echo = this.queue[this.head];
      if (!echo || echo.dueAt > now) break;
      this.head += 1;
      applyEcho(echo, now);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return this.queue[this.head]?.dueAt;
  }
}

function applyEcho(echo: PendingEcho, now: number): void {
  const { device } = echo;
  // Offline, deleted or never-reporting devices do not answer; the echo is simply lost.
  if (device.$.deleted || device.$.forcedOffline || device.$.behaviour?.neverReport) return;
  mergeInto(device.properties.reported, echo.desired);
  device.$.reportedVersion += 1;
  device.$.reportedUpdatedAt = now;
  device.$.lastActivityAt = now;
  bumpTwinVersion(device);
}
