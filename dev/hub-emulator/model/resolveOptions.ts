import { tierLimits, type HubEmulatorOptions, type TierLimits } from '../options';

/** Every option the model uses, with defaults applied and ranges checked. */
export interface ResolvedHubOptions {
  devices: number;
  seed: number;
  /** Round-robin values of the seeded devices' `tags.timeZone`; empty = no such tag. */
  seedTimeZones: readonly string[];
  limits: TierLimits;
  methodLatencyMs: number;
  transientFailureShare: number;
  permanentFailureShare: number;
  offlineShare: number;
  reportedEchoLatencyMs: number;
  jobRetentionDays: number;
  deviceCanceledSpelling: 'canceled' | 'cancelled';
  /** How devices without a device connection behave: simulated, or offline (404103). */
  unconnectedDevices: 'simulated' | 'offline';
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < 0) {
    throw new RangeError(`${name} must be a finite number >= 0 (got ${String(value)}).`);
  }
  return resolved;
}

function share(name: string, value: number | undefined): number {
  const resolved = nonNegative(name, value, 0);
  if (resolved > 1) throw new RangeError(`${name} must be between 0 and 1 (got ${resolved}).`);
  return resolved;
}

function timeZones(values: readonly string[] | undefined): readonly string[] {
  const zones = [...(values ?? [])];
  if (zones.some((zone) => typeof zone !== 'string' || zone.trim() === '')) {
    throw new RangeError(`seedTimeZones must be non-empty strings (got ${JSON.stringify(zones)}).`);
  }
  return zones;
}

function unconnectedDevices(value: string | undefined): 'simulated' | 'offline' {
  if (value === undefined || value === 'simulated' || value === 'offline')
    return value ?? 'simulated';
  throw new RangeError(`unconnectedDevices must be 'simulated' or 'offline' (got ${value}).`);
}

function resolveLimits(options: HubEmulatorOptions): TierLimits {
  const merged = { ...tierLimits[options.tier ?? 'S1'] };
  for (const [name, value] of Object.entries(options.limits ?? {})) {
    // An override left undefined (e.g. an absent CLI flag) keeps the tier's value.
    if (value !== undefined)
      merged[name as keyof TierLimits] = nonNegative(`limits.${name}`, value, 0);
  }
  return merged;
}

export function resolveOptions(options: HubEmulatorOptions = {}): ResolvedHubOptions {
  const resolved: ResolvedHubOptions = {
    devices: Math.floor(nonNegative('devices', options.devices, 0)),
    seed: options.seed ?? 1,
    seedTimeZones: timeZones(options.seedTimeZones),
    limits: resolveLimits(options),
    methodLatencyMs: nonNegative('methodLatencyMs', options.methodLatencyMs, 0),
    transientFailureShare: share('transientFailureShare', options.transientFailureShare),
    permanentFailureShare: share('permanentFailureShare', options.permanentFailureShare),
    offlineShare: share('offlineShare', options.offlineShare),
    reportedEchoLatencyMs: nonNegative('reportedEchoLatencyMs', options.reportedEchoLatencyMs, 0),
    jobRetentionDays: nonNegative('jobRetentionDays', options.jobRetentionDays, 30),
    deviceCanceledSpelling: options.deviceCanceledSpelling ?? 'canceled',
    unconnectedDevices: unconnectedDevices(options.unconnectedDevices),
  };
  const failureShares =
    resolved.transientFailureShare + resolved.permanentFailureShare + resolved.offlineShare;
  if (failureShares > 1) {
    throw new RangeError(`The offline and failure shares add up to ${failureShares}, more than 1.`);
  }
  return resolved;
}
