import { z } from 'zod';
import {
  advanceRolloutMessageSchema,
  followJobMessageSchema,
  submitJobMessageSchema,
} from './core/workMessage';
import { startRolloutMessageSchema } from './rollouts/startRolloutMessageSchema';

/**
 * Every message on the `job-requests` queue, one member per kind: hubjobs' own continuations and
 * what producers send. A new kind is one member here and one handler in
 * src/functions/workHandlers.ts (docs/queue.md).
 */
export const queueMessageSchema = z
  .discriminatedUnion('kind', [
    submitJobMessageSchema,
    followJobMessageSchema,
    advanceRolloutMessageSchema,
    startRolloutMessageSchema,
  ])
  .meta({ description: 'A message on the job-requests queue (base64 JSON); see docs/queue.md.' });

export type QueueMessage = z.output<typeof queueMessageSchema>;
export type QueueMessageKind = QueueMessage['kind'];
export type QueueMessageOf<K extends QueueMessageKind> = Extract<QueueMessage, { kind: K }>;

export const queueMessageKinds: readonly string[] = queueMessageSchema.options.map(
  (member) => member.shape.kind.value,
);
