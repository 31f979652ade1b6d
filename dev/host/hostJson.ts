import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultMaxDequeueCount } from '../../src/functions/hostQueueConfig';

/** The parts of host.json the local host honours, with the Functions runtime's defaults. */
export interface HostJsonConfig {
  routePrefix: string;
  queues: QueueTriggerConfig;
}

export interface QueueTriggerConfig {
  batchSize: number;
  newBatchThreshold: number;
  maxDequeueCount: number;
  /** Delay before a failed message becomes visible again. */
  visibilityTimeoutMs: number;
  messageEncoding: 'base64' | 'none';
}

/** .NET TimeSpan as host.json writes it: `hh:mm:ss`, optionally `d.` before and `.fff` after. */
const timeSpanPattern = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

export function parseTimeSpan(text: string): number {
  const match = timeSpanPattern.exec(text);
  if (!match) throw new Error(`not a TimeSpan (expected hh:mm:ss): ${text}`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = '0'] = match;
  const wholeSeconds =
    Number(days) * 86_400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  return wholeSeconds * 1000 + Math.round(Number(`0.${fraction}`) * 1000);
}

const timeSpan = z.string().transform((text, context) => {
  try {
    return parseTimeSpan(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const hostJsonSchema = z.object({
  version: z.literal('2.0'),
  extensions: z
    .object({
      http: z.object({ routePrefix: z.string().optional() }).optional(),
      queues: z
        .object({
          batchSize: z.number().int().min(1).max(32).optional(),
          newBatchThreshold: z.number().int().min(0).optional(),
          maxDequeueCount: z.number().int().min(1).optional(),
          visibilityTimeout: timeSpan.optional(),
          messageEncoding: z.enum(['base64', 'none']).optional(),
        })
        .optional(),
    })
    .optional(),
});

/** Validates host.json content; the error names the offending key. */
export function parseHostJson(content: unknown): HostJsonConfig {
  const parsed = hostJsonSchema.safeParse(content);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`host.json is invalid: ${problems.join('; ')}`);
  }
  const queues = parsed.data.extensions?.queues ?? {};
  const batchSize = queues.batchSize ?? 16;
  return {
    routePrefix: trimSlashes(parsed.data.extensions?.http?.routePrefix ?? 'api'),
    queues: {
      batchSize,
      // The runtime's default is batchSize / 2 per vCPU; the local host counts one.
      newBatchThreshold: queues.newBatchThreshold ?? Math.floor(batchSize / 2),
      maxDequeueCount: queues.maxDequeueCount ?? defaultMaxDequeueCount,
      visibilityTimeoutMs: queues.visibilityTimeout ?? 0,
      messageEncoding: queues.messageEncoding ?? 'base64',
    },
  };
}

export function readHostJson(file: string): HostJsonConfig {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`host.json could not be read (${file}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseHostJson(content);
}

function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '');
}
