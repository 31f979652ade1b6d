import { hashStream } from './hash';
import type { JsonObject } from './types';

const BUILDINGS = ['43', '44', '45', '46'];
const SITES = ['redmond', 'dublin', 'munich', 'singapore'];
const FIRMWARE_VERSIONS = ['1.0.0', '1.0.1', '1.1.0', '1.2.0'];
const TELEMETRY_INTERVALS = [30, 60, 120];

/** `device-00001` …: at least five digits, so ids sort in fleet order for fleets up to 99,999. */
export function seededDeviceId(index: number): string {
  return `device-${String(index + 1).padStart(5, '0')}`;
}

function pick<T>(values: readonly T[], random: number): T {
  const value = values[Math.floor(random * values.length)];
  if (value === undefined) throw new Error('pick() needs a non-empty list');
  return value;
}

function ringFor(random: number): string {
  if (random < 0.05) return 'canary';
  if (random < 0.25) return 'early';
  return 'broad';
}

/** The `index`-th seeded device's time zone: round-robin over `zones`, none when it is empty. */
export function seededTimeZone(zones: readonly string[], index: number): string | undefined {
  return zones.length === 0 ? undefined : zones[index % zones.length];
}

export interface SeededTwin {
  tags: JsonObject;
  desired: JsonObject;
  reported: JsonObject;
}

/**
 * The initial twin of a seeded device; it depends only on the seed and the device id, and on
 * `timeZone` when given (drawn after the rest, so it changes no other value).
 */
export function seededTwin(seed: number, deviceId: string, timeZone?: string): SeededTwin {
  const random = hashStream('fleet', seed, deviceId);
  const tags = {
    building: pick(BUILDINGS, random()),
    floor: 1 + Math.floor(random() * 8),
    ring: ringFor(random()),
    site: pick(SITES, random()),
    ...(timeZone === undefined ? {} : { timeZone }),
  };
  const telemetryInterval = pick(TELEMETRY_INTERVALS, random());
  const firmwareVersion = pick(FIRMWARE_VERSIONS, random());
  return {
    tags,
    desired: { telemetryInterval },
    reported: { firmwareVersion, telemetryInterval },
  };
}
