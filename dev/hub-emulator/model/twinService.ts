import { hubErrors } from '../hubError';
import { bumpTwinVersion, type DeviceState } from './deviceState';
import type { EngineLoop } from './engineLoop';
import type { ReportedEcho } from './reportedEcho';
import { deepCopy } from './twinJson';
import {
  checkEtag,
  checkSectionSizes,
  mergeInto,
  replacementOf,
  type TwinPatch,
} from './twinPatch';
import type { Clock, JsonObject } from './types';

export type TwinWriteMode = 'merge' | 'replace';

/** Hands a desired change to a real device; false when the device is simulated. */
export type DesiredDelivery = (device: DeviceState, change: JsonObject) => boolean;

/** Service-side twin writes: tags and desired properties, etag-guarded, echoed by the device. */
export class TwinService {
  constructor(
    private readonly clock: Clock,
    private readonly echo: ReportedEcho,
    private readonly loop: EngineLoop,
    private readonly deliver: DesiredDelivery = () => false,
  ) {}

  /** Applies a parsed patch (merge) or replacement; throws 412 on a stale etag. */
  write(device: DeviceState, patch: TwinPatch, ifMatch: string | undefined, mode: TwinWriteMode) {
    if (device.$.deleted) throw hubErrors.deviceNotFound(device.deviceId);
    checkEtag(device.etag, ifMatch);
    const tags = mode === 'replace' ? replacementOf(patch.tags ?? {}) : patch.tags;
    const desired = mode === 'replace' ? replacementOf(patch.desired ?? {}) : patch.desired;
    const nextTags = nextSection(device.tags, tags, mode);
    const nextDesired = nextSection(device.properties.desired, desired, mode);
    checkSectionSizes(nextTags, nextDesired);
    const now = this.clock.now();
    const tagsChanged = mode === 'replace' || hasMembers(tags);
    const desiredChanged = mode === 'replace' || hasMembers(desired);
    if (tagsChanged) {
      device.tags = nextTags;
      device.$.tagsUpdatedAt = now;
    }
    if (desiredChanged) {
      device.properties.desired = nextDesired;
      device.$.desiredVersion += 1;
      device.$.desiredUpdatedAt = now;
      // A replacement tells the device the whole new document, a merge only what changed.
      const change = mode === 'replace' ? nextDesired : (desired ?? {});
      if (!this.deliver(device, change)) {
        this.echo.schedule(device, change, now);
        this.loop.wake();
      }
    }
    if (tagsChanged || desiredChanged) bumpTwinVersion(device);
  }
}

function hasMembers(section: JsonObject | undefined): section is JsonObject {
  return section !== undefined && Object.keys(section).length > 0;
}

function nextSection(
  current: JsonObject,
  change: JsonObject | undefined,
  mode: TwinWriteMode,
): JsonObject {
  if (mode === 'replace') return change ?? {};
  if (!hasMembers(change)) return current;
  const next = deepCopy(current);
  mergeInto(next, change);
  return next;
}
