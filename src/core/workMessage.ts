import { z } from 'zod';
import type { FieldError } from './errors';
import { fieldErrorsFromZod, parseErrorMap } from './fieldErrors';
import { jobIdSchema, rolloutIdSchema } from './jobId';

/** Submit (or re-try submitting) a stored job to the hub. */
export const submitJobMessageSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('submitJob'),
    jobId: jobIdSchema,
  })
  .meta({ description: 'Submit the stored job `jobId` to the hub (or try again later).' });

/** Look at a submitted job at its expected end, so its slot is handed on when it has ended. */
export const followJobMessageSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('followJob'),
    jobId: jobIdSchema,
    follow: z.int().min(1).max(100).default(1).meta({
      description: 'How many times the job has been looked at this way, this one included.',
    }),
  })
  .meta({
    description:
      'Read job `jobId` from the hub at its expected end and hand its slot on (hubjobs sends these itself).',
  });

/** Take the rollout's next step: hubjobs' own continuation, timed from a chunk's expected end. */
export const advanceRolloutMessageSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('advanceRollout'),
    rolloutId: rolloutIdSchema,
  })
  .meta({ description: 'Take the next step of rollout `rolloutId` (hubjobs sends these itself).' });

/**
 * The messages hubjobs sends itself, which the `WorkQueue` port takes. Producers' messages join
 * them in the queue's whole contract (src/queueContract.ts, docs/queue.md).
 */
export const ownWorkMessageSchema = z.discriminatedUnion('kind', [
  submitJobMessageSchema,
  followJobMessageSchema,
  advanceRolloutMessageSchema,
]);

export type WorkMessage = z.output<typeof ownWorkMessageSchema>;

/** Any member of a queue's contract: a strict object with a literal version and kind. */
type MessageMember = z.ZodObject<{
  schemaVersion: z.ZodLiteral<number>;
  kind: z.ZodLiteral<string>;
}>;

export type WorkMessageVerdict<T> =
  | { verdict: 'valid'; message: T }
  /** Possibly from a newer version of the product: left for another instance to read. */
  | { verdict: 'unknown'; reason: string }
  /** A kind (and version) this version knows, written wrongly: it will never parse. */
  | { verdict: 'malformed'; errors: FieldError[] };

/**
 * Sorts a received message against a queue's contract: a `schemaVersion` above every known one,
 * or a `kind` the contract does not know, is `unknown`; anything else failing it is `malformed`.
 */
export function classifyWorkMessage<S extends z.ZodDiscriminatedUnion<MessageMember[]>>(
  input: unknown,
  contract: S,
): WorkMessageVerdict<z.output<S>> {
  const members = contract.options;
  const kinds: string[] = members.map((m) => m.shape.kind.value);
  const newestVersion = Math.max(...members.map((m) => m.shape.schemaVersion.value));
  if (isRecord(input)) {
    const { schemaVersion, kind } = input;
    if (Number.isInteger(schemaVersion) && (schemaVersion as number) > newestVersion) {
      return { verdict: 'unknown', reason: `unknown schemaVersion ${String(schemaVersion)}` };
    }
    if (typeof kind === 'string' && !kinds.includes(kind)) {
      return { verdict: 'unknown', reason: `unknown kind ${JSON.stringify(kind)}` };
    }
  }
  const parsed = contract.safeParse(input, { error: parseErrorMap });
  if (parsed.success) return { verdict: 'valid', message: parsed.data };
  return { verdict: 'malformed', errors: fieldErrorsFromZod(parsed.error.issues, 'message') };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
