/** Small readers for the hub's loosely typed JSON (the SDK hands it over as `any`). */
export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined;
}

export function readString(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function readCount(record: JsonRecord, key: string): number {
  const value = record[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * A hub timestamp as ISO-8601 UTC. The hub sometimes omits the `Z` (the value is still UTC) and
 * returns DateTime.MaxValue (`9999-12-31T23:59:59.9999999`) or MinValue for "not set".
 */
export function readHubTime(record: JsonRecord, key: string): string | undefined {
  const raw = readString(record, key);
  if (raw === undefined) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(raw);
  const parsed = new Date(hasZone ? raw : `${raw}Z`);
  if (Number.isNaN(parsed.getTime())) return undefined;
  const year = parsed.getUTCFullYear();
  return year <= 1 || year >= 9999 ? undefined : parsed.toISOString();
}

/** `base` plus those of `optional`'s fields that are defined (no keys holding `undefined`). */
export function withDefinedFields<T extends object>(base: T, optional: Partial<T>): T {
  const result = { ...base };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (result as Record<string, unknown>)[key] = value;
  }
  return result;
}
