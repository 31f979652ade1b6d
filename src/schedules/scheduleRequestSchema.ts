import { z } from 'zod';
import { ValidationError, type FieldError } from '../core/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../core/fieldErrors';
import { integerFrom } from '../core/operationSchemas';
import { propertyNameProblem } from '../core/hubPropertyName';
import { canonicalJson } from '../core/requestHash';
import { jobListQuerySchema } from '../jobs/schemas';
import { isPlainObject } from '../core/validateTwinPatch';
import { parseRolloutRequest, rolloutRequestSchema } from '../rollouts/rolloutRequestSchema';
import type { ContainerRules } from '../rollouts/rolloutRequestSchema';
import { cronProblem } from './openings';
import { endBehaviors, isDeviceLocal, type ScheduleDefinition } from './schedule';
import { canonicalTimeZone } from './zonedTime';

export const scheduleIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be 1 to 64 US-ASCII letters, digits or dashes' })
  .meta({ description: 'The schedule id.', examples: ['nightly-berlin'] });

/** Longest template kept in a schedule row, as JSON characters: name big id lists in a blob. */
export const maxTemplateJsonChars = 200_000;

const cronSchema = z
  .string()
  .superRefine((cron, context) => {
    const problem = cronProblem(cron);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description: '5 fields: minute hour day-of-month month day-of-week.',
    examples: ['0 1 * * *'],
  });

const zoneTagSchema = z.strictObject({
  tag: z.string().superRefine((tag, context) => {
    const problem = propertyNameProblem(tag, 'twinKey');
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  }),
});

const timeZoneSchema = z
  .union([z.string(), zoneTagSchema], {
    error: 'must be an IANA time zone name or {"tag": "<twin tag holding each device\'s zone>"}',
  })
  .superRefine((zone, context) => {
    if (typeof zone === 'string' && canonicalTimeZone(zone) === undefined) {
      context.addIssue({
        code: 'custom',
        message: `${JSON.stringify(zone)} is not a known IANA time zone`,
      });
    }
  })
  .meta({
    description:
      "An IANA zone (stored canonical), or {tag}: each device's own zone, from that twin tag.",
    examples: ['Europe/Berlin', { tag: 'timeZone' }],
  });

const blackoutDatesSchema = z
  .array(z.iso.date({ error: 'must be a date such as 2026-12-24' }))
  .max(1000)
  .default([])
  .meta({ description: 'Local dates (of the opening, in its zone) on which no window opens.' });

/** A rollout body without `startTime`: the window's opening is its start. */
export const rolloutTemplateSchema = rolloutRequestSchema.omit({ startTime: true, dryRun: true });

const definitionFields = {
  cron: cronSchema,
  timeZone: timeZoneSchema,
  durationMinutes: integerFrom(1, 10_080, 'an integer from 1 to 10080 (a week)').meta({
    description: 'How long the window stays open, in elapsed minutes.',
  }),
  blackoutDates: blackoutDatesSchema,
  endBehavior: z.enum(endBehaviors).default('stopLaunching').meta({
    description:
      'At the close: stopLaunching lets running chunks finish; cancelRunning cancels them.',
  }),
  enabled: z.boolean().default(true),
};

const objectError = (issue: { input: unknown }) =>
  isPlainObject(issue.input) ? undefined : 'must be a JSON object';

/** The body of `PUT /schedules/{scheduleId}`. */
export const scheduleRequestSchema = z
  .strictObject({ ...definitionFields, rollout: rolloutTemplateSchema }, { error: objectError })
  .meta({ title: 'Schedule request' });

// The template is checked by the rollout's own parser, which knows more than its schema.
const outerSchema = z.strictObject(
  { ...definitionFields, rollout: z.unknown() },
  { error: objectError },
);

/** Validates a schedule body; throws `ValidationError` naming every bad field. */
export function parseScheduleRequest(body: unknown, rules: ContainerRules): ScheduleDefinition {
  const parsed = outerSchema.safeParse(body, { error: parseErrorMap });
  const errors: FieldError[] = parsed.success
    ? []
    : fieldErrorsFromZod(parsed.error.issues, 'body');
  const template = isPlainObject(body) ? body.rollout : undefined;
  errors.push(...templateErrors(template, rules));
  if (parsed.success && isDeviceLocal(parsed.data.timeZone)) {
    errors.push(...deviceLocalErrors(template));
  }
  if (!parsed.success || errors.length > 0) throw new ValidationError(errors);
  const { timeZone, blackoutDates, ...rest } = parsed.data;
  return {
    ...rest,
    timeZone: typeof timeZone === 'string' ? (canonicalTimeZone(timeZone) ?? timeZone) : timeZone,
    blackoutDates: [...new Set(blackoutDates)].sort(),
    rollout: template as Record<string, unknown>,
  };
}

function templateErrors(template: unknown, rules: ContainerRules): FieldError[] {
  if (template === undefined) return [{ field: 'rollout', message: 'is required' }];
  const errors: FieldError[] = [];
  if (isPlainObject(template)) {
    for (const field of ['startTime', 'dryRun'] as const) {
      if (field in template) {
        errors.push({
          field: `rollout.${field}`,
          message: 'is not taken: the window opening starts the rollout',
        });
      }
    }
    const chars = canonicalJson(template).length;
    if (chars > maxTemplateJsonChars) {
      errors.push({
        field: 'rollout',
        message: `is ${chars} characters of JSON, over the ${maxTemplateJsonChars} a schedule keeps; name the devices in a blob (targets.deviceIdsBlob)`,
      });
    }
  }
  if (errors.length > 0) return errors;
  try {
    parseRolloutRequest(template, rules);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.errors.map((e) => ({
      field: e.field === 'body' ? 'rollout' : `rollout.${e.field}`,
      message: e.message,
    }));
  }
}

function deviceLocalErrors(template: unknown): FieldError[] {
  const targets = isPlainObject(template) ? template.targets : undefined;
  if (isPlainObject(targets) && typeof targets.queryCondition === 'string') return [];
  return [
    {
      field: 'rollout.targets',
      message: 'must be a queryCondition when timeZone is a tag (each zone gets its own rollout)',
    },
  ];
}

/** Throws `ValidationError` on field `scheduleId` unless the id is valid. */
export function parseScheduleId(value: unknown): string {
  const parsed = scheduleIdSchema.safeParse(value, { error: parseErrorMap });
  if (!parsed.success) {
    throw new ValidationError(fieldErrorsFromZod(parsed.error.issues, 'scheduleId'));
  }
  return parsed.data;
}

/** Query parameters of `GET /schedules`, paged as the other lists are. */
export const scheduleListQuerySchema = z.object({
  pageSize: jobListQuerySchema.shape.pageSize,
  continuationToken: jobListQuerySchema.shape.continuationToken,
});
