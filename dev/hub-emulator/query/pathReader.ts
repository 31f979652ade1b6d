import type { Operand } from './ast';

export type ValueReader = (row: object) => unknown;

/**
 * Canonical spelling of the top-level fields of twins and device jobs, so the usual
 * case-insensitive lookup (`DeviceId`) is one property access rather than a key scan.
 */
const KNOWN_TOP_LEVEL_FIELDS = new Map(
  [
    'deviceId moduleId etag deviceEtag version status statusReason statusUpdateTime',
    'connectionState lastActivityTime cloudToDeviceMessageCount authenticationType',
    'x509Thumbprint modelId capabilities tags properties',
    'jobId jobType startTimeUtc endTimeUtc createdDateTimeUtc lastUpdatedDateTimeUtc outcome error',
  ]
    .join(' ')
    .split(' ')
    .map((name) => [name.toLowerCase(), name]),
);

function findIgnoringCase(row: Record<string, unknown>, lowerName: string): unknown {
  for (const key in row) {
    if (
      key.length === lowerName.length &&
      key.toLowerCase() === lowerName &&
      Object.hasOwn(row, key)
    ) {
      return row[key];
    }
  }
  return undefined;
}

/** Top-level names match case-insensitively (the Java SDK sends `DeviceId IN [...]`). */
function topLevelReader(name: string): ValueReader {
  const lowerName = name.toLowerCase();
  const canonical = KNOWN_TOP_LEVEL_FIELDS.get(lowerName) ?? name;
  return (row) => {
    const record = row as Record<string, unknown>;
    return Object.hasOwn(record, canonical)
      ? record[canonical]
      : findIgnoringCase(record, lowerName);
  };
}

/** Nested names are case-sensitive, as twin keys are; a missing step yields `undefined`. */
function pathReader(segments: readonly string[]): ValueReader {
  const [first = '', ...rest] = segments;
  const readFirst = topLevelReader(first);
  if (rest.length === 0) return readFirst;
  return (row) => {
    let value = readFirst(row);
    for (let index = 0; index < rest.length; index += 1) {
      const segment = rest[index] as string;
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) {
        return undefined;
      }
      value = (value as Record<string, unknown>)[segment];
    }
    return value;
  };
}

export function operandReader(operand: Operand): ValueReader {
  if (operand.kind === 'path') return pathReader(operand.segments);
  const { value } = operand;
  return () => value;
}
