/** The operation schemas jobs and rollouts share: a direct method, a twin update, a condition. */
import { z } from 'zod';
import { maxQueryConditionLength, queryConditionProblem } from './deviceIdCondition';
import { methodNamePattern, propertyNameProblem, twinKeyPattern } from './hubPropertyName';
import { jsonByteLength } from './jsonSize';
import { queryConditionSyntaxProblem } from './queryConditionSyntax';
import { maxDesiredBytes, maxTagsBytes, twinSectionProblems } from './validateTwinPatch';

export const maxMethodPayloadBytes = 128 * 1024;

/** An ISO-8601 instant with `Z` or an offset; impossible dates such as Feb 30 are refused. */
export const isoInstantSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date and time with Z or an offset, such as 2026-05-01T02:00:00Z',
});

export function integerFrom(
  min: number,
  max: number,
  wording = `an integer from ${min} to ${max}`,
) {
  const error = `must be ${wording}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

const methodPayloadSchema = z
  .unknown()
  .superRefine((payload, context) => {
    const size = jsonByteLength(payload);
    if (size > maxMethodPayloadBytes) {
      context.addIssue({
        code: 'custom',
        message: `is ${size} bytes as JSON, over IoT Hub's limit of ${maxMethodPayloadBytes}`,
      });
    }
  })
  .meta({ description: `Any JSON value, at most ${maxMethodPayloadBytes} bytes serialised.` });

export const cloudToDeviceMethodSchema = z.strictObject(
  {
    methodName: z.string().regex(methodNamePattern, {
      error: (issue) => propertyNameProblem(issue.input, 'methodName'),
    }),
    payload: methodPayloadSchema.optional(),
    responseTimeoutInSeconds: integerFrom(5, 300).default(30),
    connectTimeoutInSeconds: integerFrom(0, 300).optional(),
  },
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is required when type is scheduleDeviceMethod'
        : 'must be an object',
  },
);

function twinSectionSchema(maxBytes: number) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((section, context) => {
      for (const problem of twinSectionProblems(section, maxBytes)) {
        context.addIssue({ code: 'custom', path: problem.path, message: problem.message });
      }
    })
    .meta({
      description: `Twin properties: keys without . $ ( ) < > @ , ; : \\ " / [ ] ? = { } or spaces, at most 1 KB; values at most 4 KB; depth at most 10; at most ${maxBytes} bytes in all.`,
      propertyNames: { pattern: twinKeyPattern.source },
    });
}

export const updateTwinSchema = z
  .strictObject(
    {
      etag: z.string().min(1).default('*'),
      tags: twinSectionSchema(maxTagsBytes).optional(),
      properties: z
        .strictObject({ desired: twinSectionSchema(maxDesiredBytes).optional() })
        .optional(),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is required when type is scheduleUpdateTwin'
          : 'must be an object',
    },
  )
  .superRefine((twin, context) => {
    const hasTags = Object.keys(twin.tags ?? {}).length > 0;
    const hasDesired = Object.keys(twin.properties?.desired ?? {}).length > 0;
    if (!hasTags && !hasDesired) {
      context.addIssue({
        code: 'custom',
        message: 'needs tags or properties.desired with at least one property',
      });
    }
  });

export const queryConditionSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(maxQueryConditionLength, {
    error: (issue) =>
      typeof issue.input === 'string' ? queryConditionProblem(issue.input) : undefined,
  })
  .refine((condition) => condition === '' || condition.trim() !== '', 'must not be empty')
  .superRefine((condition, context) => {
    const problem = condition.trim() === '' ? undefined : queryConditionSyntaxProblem(condition);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: "A hub query's WHERE clause without WHERE, e.g. tags.site = 'berlin'." });
