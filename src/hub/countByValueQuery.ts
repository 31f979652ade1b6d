import { maxHubQueryLength } from '../core/deviceIdCondition';
import { HubCallError } from '../core/hubCallError';
import { countAlias, whereClause } from './deviceQueryText';

/** The alias the grouped count names its value column with. */
export const valueAlias = 'zone';

/** One value of the grouped property and how many devices hold it; undefined = not set. */
export interface ValueCount {
  value: unknown;
  count: number;
}

const propertyPath = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * `SELECT <path> AS zone, COUNT() AS n FROM devices [WHERE <condition>] GROUP BY <path>`. The
 * path goes into the query text as it is, so only a dotted path of identifiers is taken.
 */
export function countByValueQuery(queryCondition: string, path: string): string {
  if (!propertyPath.test(path)) {
    throw new HubCallError(
      'badRequest',
      `Devices are counted by a dotted property path of identifiers such as tags.timeZone, not ${JSON.stringify(path)}.`,
    );
  }
  const select = `SELECT ${path} AS ${valueAlias}, COUNT() AS ${countAlias} FROM devices`;
  const sql = `${select}${whereClause(queryCondition)} GROUP BY ${path}`;
  if (sql.length > maxHubQueryLength) {
    throw new HubCallError(
      'badRequest',
      `A ${queryCondition.length}-character query condition is too long to be counted by ${path}: the query would exceed IoT Hub's limit of ${maxHubQueryLength} characters.`,
    );
  }
  return sql;
}

/**
 * Adds one page's rows to the counts. A value listed on two pages is counted once with both
 * sizes, matched by identity for numbers, strings, booleans and null, by JSON for objects.
 */
export function addValueCounts(counts: Map<unknown, ValueCount>, rows: readonly unknown[]): void {
  for (const row of rows) {
    const { value, count } = valueCountOf(row);
    const key =
      typeof value === 'object' && value !== null ? `json:${JSON.stringify(value)}` : value;
    const known = counts.get(key);
    if (known) known.count += count;
    else counts.set(key, { value, count });
  }
}

/** A row without a count would lose devices silently, so it fails the call. */
function valueCountOf(row: unknown): ValueCount {
  const record = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
  const count = record[countAlias];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new HubCallError('unknown', 'IoT Hub answered a grouped device count without a count.');
  }
  return { value: record[valueAlias], count };
}
