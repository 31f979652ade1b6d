import type { GroupedColumn } from './ast';

/** One group of a grouped query: the grouped value (undefined when missing) and its size. */
export interface ValueGroup {
  value: unknown;
  count: number;
}

/** JSON types in the order groups come back: missing first, then null, booleans, numbers, strings, the rest. */
function typeRank(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  if (typeof value === 'boolean') return 2;
  if (typeof value === 'number') return 3;
  if (typeof value === 'string') return 4;
  return 5;
}

/** A stable order by value: by type rank, then by value (objects and arrays by their JSON). */
export function compareGroupValues(left: unknown, right: unknown): number {
  const rankDifference = typeRank(left) - typeRank(right);
  if (rankDifference !== 0) return rankDifference;
  const [a, b] =
    typeRank(left) === 5 ? [JSON.stringify(left), JSON.stringify(right)] : [left, right];
  if (a === b) return 0;
  return (a as string | number | boolean) < (b as string | number | boolean) ? -1 : 1;
}

/** Counts the values read from the rows, one group per distinct value (objects by their JSON). */
export function groupValues(values: Iterable<unknown>): ValueGroup[] {
  const groups = new Map<unknown, ValueGroup>();
  for (const value of values) {
    const key =
      typeof value === 'object' && value !== null ? `json:${JSON.stringify(value)}` : value;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { value, count: 1 });
  }
  return [...groups.values()].sort((left, right) => compareGroupValues(left.value, right.value));
}

/** A group as a result row; the missing-value group's row lacks the grouped column. */
export function groupRow(group: ValueGroup, columns: readonly GroupedColumn[]): object {
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    if (column.kind === 'count') row[column.name] = group.count;
    else if (group.value !== undefined) row[column.name] = group.value;
  }
  return row;
}
