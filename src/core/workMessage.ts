import { z } from 'zod';
import type { FieldError } from './errors';
import { fieldErrorsFromZod, parseErrorMap } from './fieldErrors';
import { jobIdSchema } from './jobId';

/** Submit (or re-try submitting) a stored job to the hub. */
export const submitJobMessageSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('submitJob'),
    jobId: jobIdSchema,
  })
  .meta({ description: 'Submit the stored job `jobId` to the hub (or try again later).' });

/**
 * Every message on the `job-requests` queue, one member per kind. A new kind is one member here
 * and one handler in src/functions/workHandlers.ts (docs/queue.md).
 */
export const workMessageSchema = z
  .discriminatedUnion('kind', [submitJobMessageSchema])
  .meta({ description: 'A message on the job-requests queue (base64 JSON); see docs/queue.md.' });

export type WorkMessage = z.output<typeof workMessageSchema>;
export type WorkMessageKind = WorkMessage['kind'];
export type WorkMessageOf<K extends WorkMessageKind> = Extract<WorkMessage, { kind: K }>;

const members = workMessageSchema.options;
export const workMessageKinds: readonly string[] = members.map((m) => m.shape.kind.value);
export const workMessageSchemaVersions: readonly number[] = [
  ...new Set(members.map((m) => m.shape.schemaVersion.value)),
];

export type WorkMessageVerdict =
  | { verdict: 'valid'; message: WorkMessage }
  /** Possibly from a newer version of the product: left for another instance to read. */
  | { verdict: 'unknown'; reason: string }
  /** A kind (and version) this version knows, written wrongly: it will never parse. */
  | { verdict: 'malformed'; errors: FieldError[] };

/**
 * Sorts a received message: a `schemaVersion` above every known one, or a `kind` this version
 * does not know, is `unknown`; anything else that fails the schema is `malformed`.
 */
export function classifyWorkMessage(input: unknown): WorkMessageVerdict {
  if (isRecord(input)) {
    const { schemaVersion, kind } = input;
    if (Number.isInteger(schemaVersion) && (schemaVersion as number) > newestSchemaVersion()) {
      return { verdict: 'unknown', reason: `unknown schemaVersion ${String(schemaVersion)}` };
    }
    if (typeof kind === 'string' && !workMessageKinds.includes(kind)) {
      return { verdict: 'unknown', reason: `unknown kind ${JSON.stringify(kind)}` };
    }
  }
  const parsed = workMessageSchema.safeParse(input, { error: parseErrorMap });
  if (parsed.success) return { verdict: 'valid', message: parsed.data };
  return { verdict: 'malformed', errors: fieldErrorsFromZod(parsed.error.issues, 'message') };
}

function newestSchemaVersion(): number {
  return Math.max(...workMessageSchemaVersions);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
