/**
 * A maintenance window schedule: a recurring window (a 5-field cron read in a time zone, open for
 * `durationMinutes` of elapsed time) that starts a rollout when it opens (docs/schedules.md).
 */
export const endBehaviors = ['stopLaunching', 'cancelRunning'] as const;
export type EndBehavior = (typeof endBehaviors)[number];

/** An IANA zone (stored canonical), or the twin tag that holds each device's own zone. */
export type ScheduleTimeZone = string | { tag: string };

/** What a client sets with `PUT /schedules/{id}`. */
export interface ScheduleDefinition {
  cron: string;
  timeZone: ScheduleTimeZone;
  durationMinutes: number;
  /** Local dates (`YYYY-MM-DD`, in the opening's zone) on which the window does not open. */
  blackoutDates: string[];
  /** A rollout body without `startTime`, as the client sent it (validated). */
  rollout: Record<string, unknown>;
  endBehavior: EndBehavior;
  enabled: boolean;
}

export const skipReasons = ['missed', 'previousRunActive', 'blackout', 'refused'] as const;
export type SkipReason = (typeof skipReasons)[number];

/** Devices a device-local schedule could not place in a zone: no tag, or not a zone. */
export interface UnzonedDevices {
  missing: number;
  invalid: { value: unknown; count: number }[];
}

/** One window occurrence as the schedule recorded it. */
export interface ScheduleRun {
  /** ISO-8601 instants (UTC). */
  opensAt: string;
  closesAt: string;
  /** The zone the window opened in (each zone has its own for a device-local schedule). */
  zone: string;
  outcome: 'opened' | 'skipped';
  reason?: SkipReason;
  /** Why a template was refused. */
  message?: string;
  /** The rollout the window started (or would have). */
  rolloutId: string;
  recordedAt: string;
  /** Device-local: the fleet's devices without a usable zone when the window opened. */
  unzoned?: UnzonedDevices;
}

/** The zones present in the fleet, counted once per schedule per day (device-local only). */
export interface ZoneCensus {
  /** UTC date it was counted on. */
  countedOn: string;
  zones: { zone: string; devices: number }[];
  unzoned: UnzonedDevices;
}

export interface Schedule extends ScheduleDefinition {
  scheduleId: string;
  /** Hash of the definition, so a replayed PUT can be told from a change. */
  definitionHash: string;
  createdAt: string;
  updatedAt: string;
  /** Openings up to here have been decided (opened or skipped). */
  lastEvaluatedAt?: string;
  /** Newest last, at most `maxRecentRuns`. */
  runs: ScheduleRun[];
  zoneCensus?: ZoneCensus;
}

/** A stored schedule with the store's concurrency token, opaque outside the store. */
export interface StoredSchedule extends Schedule {
  revision: string;
}

export const maxRecentRuns = 100;

/** Missed occurrences recorded per evaluation; older ones are not enumerated. */
export const maxMissedRecorded = 10;

export function isDeviceLocal(timeZone: ScheduleTimeZone): timeZone is { tag: string } {
  return typeof timeZone !== 'string';
}
