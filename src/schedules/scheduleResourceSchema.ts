import { z } from 'zod';
import type { NextOpening } from './nextOpenings';
import { endBehaviors, skipReasons, type Schedule } from './schedule';
import { scheduleIdSchema } from './scheduleRequestSchema';

const timestamp = z.string().meta({ description: 'ISO-8601.' });

const unzonedSchema = z
  .object({
    missing: z.int(),
    invalid: z.array(z.object({ value: z.unknown(), count: z.int() })),
  })
  .meta({ description: 'Devices without the zone tag, and those whose tag is no known zone.' });

const runSchema = z.object({
  opensAt: timestamp,
  closesAt: timestamp,
  zone: z.string(),
  outcome: z.enum(['opened', 'skipped']),
  reason: z.enum(skipReasons).optional(),
  message: z.string().optional(),
  rolloutId: z.string().meta({ description: 'The rollout the window started (or would have).' }),
  recordedAt: timestamp,
  unzoned: unzonedSchema.optional(),
});

const openingSchema = z.object({
  opensAt: z.string().meta({ description: "ISO-8601 with the zone's own offset." }),
  closesAt: z.string(),
  zone: z.string().optional().meta({ description: 'Device-local schedules: the zone.' }),
});

/** A schedule as the API returns it. */
export const scheduleResourceSchema = z.object({
  scheduleId: scheduleIdSchema,
  cron: z.string(),
  timeZone: z.union([z.string(), z.object({ tag: z.string() })]),
  durationMinutes: z.int(),
  blackoutDates: z.array(z.string()),
  rollout: z
    .record(z.string(), z.unknown())
    .meta({ description: 'The rollout template as given: a rollout body without startTime.' }),
  endBehavior: z.enum(endBehaviors),
  enabled: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  lastEvaluatedAt: timestamp.optional(),
  nextOpenings: z.array(openingSchema).optional().meta({
    description: 'GET of one schedule: the next 5 openings (5 per zone if device-local).',
  }),
  zones: z
    .object({
      countedOn: z.string(),
      zones: z.array(z.object({ zone: z.string(), devices: z.int() })),
      unzoned: unzonedSchema,
    })
    .optional()
    .meta({ description: 'Device-local: the zones found in the fleet, counted once a day.' }),
  runs: z.array(runSchema).meta({ description: 'Recent window occurrences, newest last.' }),
});
export type ScheduleResource = z.output<typeof scheduleResourceSchema>;

export const scheduleListResponseSchema = z.object({
  items: z.array(scheduleResourceSchema),
  continuationToken: z.string().optional(),
});

export function toScheduleResource(
  schedule: Schedule,
  nextOpenings?: NextOpening[],
): ScheduleResource {
  return {
    scheduleId: schedule.scheduleId,
    cron: schedule.cron,
    timeZone: schedule.timeZone,
    durationMinutes: schedule.durationMinutes,
    blackoutDates: [...schedule.blackoutDates],
    rollout: schedule.rollout,
    endBehavior: schedule.endBehavior,
    enabled: schedule.enabled,
    createdAt: schedule.createdAt,
    updatedAt: schedule.updatedAt,
    ...(schedule.lastEvaluatedAt === undefined
      ? {}
      : { lastEvaluatedAt: schedule.lastEvaluatedAt }),
    ...(nextOpenings === undefined ? {} : { nextOpenings }),
    ...(schedule.zoneCensus === undefined ? {} : { zones: schedule.zoneCensus }),
    runs: schedule.runs.map((run) => ({ ...run })),
  };
}
