import { hubQueryPrefix, maxHubQueryLength } from '../core/deviceIdCondition';

/** Written as `buildDeviceIdCondition` (src/core) writes it; a test holds the two equal. */
const listOpening = "deviceId IN ['";
const listSeparator = "','";
const listClosing = "']";

/** `deviceId IN ['a','b',…]` for `ids[start, end)`, one join, no per-id strings. */
export function deviceIdListCondition(ids: readonly string[], start: number, end: number): string {
  return `${listOpening}${ids.slice(start, end).join(listSeparator)}${listClosing}`;
}

/**
 * Room for one chunk's ids, each counted as `listedLength` (quotes and a comma; the first id has
 * no comma, hence the + 1), when `extra` characters of the condition are not the list.
 */
export function chunkCapacity(extra: number): number {
  // The quotes at either end of the list belong to its first and last ids.
  const fixed = hubQueryPrefix.length + listOpening.length + listClosing.length - 2 + extra;
  return maxHubQueryLength - fixed + 1;
}

/** What one id takes in a list: its quotes and one comma. */
export function listedLength(deviceId: string): number {
  return deviceId.length + 3;
}

/**
 * Greedy split of `ids[start, end)` into runs that each fit `capacity`: the end index of each run.
 * Greedy is optimal for order-keeping runs: no split can end a run later than greedy does.
 * Answers undefined when one id alone does not fit.
 */
export function chunkEnds(
  ids: readonly string[],
  start: number,
  end: number,
  capacity: number,
): number[] | undefined {
  const ends: number[] = [];
  let used = 0;
  for (let index = start; index < end; index++) {
    const cost = listedLength(ids[index] ?? '');
    if (cost > capacity) return undefined;
    if (used + cost > capacity) {
      ends.push(index);
      used = 0;
    }
    used += cost;
  }
  if (end > start) ends.push(end);
  return ends;
}

/** The fewest chunks `ids[start, end)` could take: all their listed characters over a chunk's room. */
export function minimumChunks(
  ids: readonly string[],
  start: number,
  end: number,
  capacity: number,
): number {
  let total = 0;
  for (let index = start; index < end; index++) total += listedLength(ids[index] ?? '');
  return Math.ceil(total / capacity);
}
