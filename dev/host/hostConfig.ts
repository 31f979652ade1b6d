import type { SettingValues } from './hostSettings';

/** The local-only settings of the host (SPEC §6: never set in Azure). */
export interface HostConfig {
  port: number;
  queuePollMinMs: number;
  queuePollMaxMs: number;
  checkFunctionKeys: boolean;
  /** Set when `checkFunctionKeys` is on. */
  functionKey?: string;
}

/** Reads HOST_PORT, QUEUE_POLL_MIN_MS, QUEUE_POLL_MAX_MS, HOST_CHECK_FUNCTION_KEYS, HOST_FUNCTION_KEY. */
export function readHostConfig(settings: SettingValues): HostConfig {
  const port = integer(settings, 'HOST_PORT', 7071, 0, 65_535);
  const queuePollMinMs = integer(settings, 'QUEUE_POLL_MIN_MS', 100, 1, 3_600_000);
  const queuePollMaxMs = integer(settings, 'QUEUE_POLL_MAX_MS', 2000, 1, 3_600_000);
  if (queuePollMaxMs < queuePollMinMs) {
    throw new Error('QUEUE_POLL_MAX_MS must not be less than QUEUE_POLL_MIN_MS');
  }
  const checkFunctionKeys = boolean(settings, 'HOST_CHECK_FUNCTION_KEYS');
  const functionKey = blankAsUnset(settings.HOST_FUNCTION_KEY);
  if (checkFunctionKeys && functionKey === undefined) {
    throw new Error('HOST_FUNCTION_KEY is required when HOST_CHECK_FUNCTION_KEYS is true');
  }
  return {
    port,
    queuePollMinMs,
    queuePollMaxMs,
    checkFunctionKeys,
    ...(checkFunctionKeys && functionKey !== undefined ? { functionKey } : {}),
  };
}

function blankAsUnset(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function integer(
  settings: SettingValues,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = blankAsUnset(settings[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (/^\d+$/.test(raw) && value >= min && value <= max) return value;
  throw new Error(`${name} must be an integer from ${min} to ${max} (got '${raw}')`);
}

function boolean(settings: SettingValues, name: string): boolean {
  const raw = blankAsUnset(settings[name])?.toLowerCase();
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be true or false (got '${raw}')`);
}
