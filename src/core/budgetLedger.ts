/**
 * The arithmetic of the hub budget (docs/hub-budget.md): time is cut into accounting windows of
 * a fixed length counted from the epoch, and every grant is booked in the window it was made in.
 * A grant in a window counts against every later grant made less than a minute after that
 * window ended, so no 60 seconds ever hold more than the limit.
 */

export const minuteMs = 60_000;

export interface BudgetWindow {
  startMs: number;
  endMs: number;
}

/** The calls granted in one window. Windows carry their own bounds, so lengths may differ. */
export interface LedgerEntry extends BudgetWindow {
  granted: number;
}

export function windowAt(nowMs: number, windowMs: number): BudgetWindow {
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  return { startMs, endMs: startMs + windowMs };
}

/**
 * The entries that still count against a grant in `window`: every one ending less than a minute
 * before it starts, later ones included (an instance whose clock runs ahead books ahead).
 */
export function liveEntries(entries: readonly LedgerEntry[], window: BudgetWindow): LedgerEntry[] {
  return entries.filter((entry) => entry.endMs > window.startMs - minuteMs);
}

/** How many calls may still be granted in `window`. */
export function remaining(
  entries: readonly LedgerEntry[],
  window: BudgetWindow,
  limit: number,
): number {
  return Math.max(0, limit - sum(liveEntries(entries, window)));
}

/** The live entries with `granted` more calls booked in `window`. */
export function withGrant(
  entries: readonly LedgerEntry[],
  window: BudgetWindow,
  granted: number,
): LedgerEntry[] {
  const live = liveEntries(entries, window);
  const same = live.find((e) => e.startMs === window.startMs && e.endMs === window.endMs);
  if (same === undefined) return [...live, { ...window, granted }];
  return live.map((e) => (e === same ? { ...e, granted: e.granted + granted } : e));
}

/**
 * When `needed` calls fit next if nobody else takes any: the start of the first window from
 * `window` on with room for them, or undefined when they can never fit (more than the limit).
 */
export function nextRoomAt(
  entries: readonly LedgerEntry[],
  window: BudgetWindow,
  limit: number,
  needed: number,
): number | undefined {
  if (needed > limit) return undefined;
  const windowMs = window.endMs - window.startMs;
  let counted = sum(liveEntries(entries, window));
  if (limit - counted >= needed) return window.startMs;
  for (const entry of liveEntries(entries, window).sort((a, b) => a.endMs - b.endMs)) {
    counted -= entry.granted;
    if (limit - counted >= needed) {
      // The entry stops counting in the first window starting a minute or more after it ended.
      return Math.ceil((entry.endMs + minuteMs) / windowMs) * windowMs;
    }
  }
  return undefined;
}

/** Calls granted in windows that overlap the minute up to `nowMs`. */
export function usedInMinuteTo(entries: readonly LedgerEntry[], nowMs: number): number {
  return sum(entries.filter((entry) => entry.endMs > nowMs - minuteMs && entry.startMs <= nowMs));
}

function sum(entries: readonly LedgerEntry[]): number {
  return entries.reduce((total, entry) => total + entry.granted, 0);
}
