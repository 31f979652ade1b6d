import { z } from 'zod';
import { hubErrors } from '../hubError';
import { normalizeEtag } from './twinPatch';
import type { Clock, JsonObject } from './types';

// Configuration ids: lowercase letters, digits and a few marks, up to 128 characters.
const CONFIGURATION_ID = /^[a-z0-9\-:+%_#*?!(),=@;$']{1,128}$/;
const MAX_CONFIGURATIONS = 100;
const DEFAULT_LIST_SIZE = 20;

const metricsSchema = z.object({
  results: z.record(z.string(), z.number()).optional(),
  queries: z.record(z.string(), z.string()).optional(),
});

const configurationSchema = z.looseObject({
  id: z.string().optional(),
  schemaVersion: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  content: z
    .object({
      deviceContent: z.record(z.string(), z.unknown()).nullish(),
      modulesContent: z.record(z.string(), z.unknown()).nullish(),
      moduleContent: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  targetCondition: z.string().nullish(),
  priority: z.number().int().min(0).nullish(),
  metrics: metricsSchema.nullish(),
});

/** One stored automatic device configuration, as `GET /configurations/{id}` answers it. */
export interface ConfigurationJson {
  id: string;
  schemaVersion: string;
  labels: Record<string, string>;
  content: JsonObject;
  targetCondition: string;
  createdTimeUtc: string;
  lastUpdatedTimeUtc: string;
  priority: number;
  systemMetrics: { results: Record<string, number>; queries: Record<string, string> };
  metrics: { results: Record<string, number>; queries: Record<string, string> };
  etag: string;
}

/**
 * Automatic device configurations, stored and listed as the hub does (`/configurations`); they are
 * never applied to twins, so their metrics stay empty.
 */
export class ConfigurationStore {
  private readonly byId = new Map<string, ConfigurationJson>();
  private version = 0;

  constructor(private readonly clock: Clock) {}

  /** `PUT /configurations/{id}`: a create without `If-Match`, an update with it. */
  put(id: string, body: unknown, ifMatch: string | undefined): ConfigurationJson {
    const existing = this.byId.get(id);
    const expected = normalizeEtag(ifMatch);
    if (expected === undefined && existing) throw hubErrors.configurationAlreadyExists(id);
    if (expected !== undefined && !existing) throw hubErrors.configurationNotFound(id);
    if (existing && expected !== '*' && expected !== existing.etag) {
      throw hubErrors.preconditionFailed();
    }
    if (!existing && this.byId.size >= MAX_CONFIGURATIONS) {
      throw hubErrors.argumentInvalid(`A hub holds at most ${MAX_CONFIGURATIONS} configurations.`);
    }
    const stored = this.build(id, body, existing);
    this.byId.set(id, stored);
    return structuredClone(stored);
  }

  get(id: string): ConfigurationJson {
    const stored = this.byId.get(id);
    if (!stored) throw hubErrors.configurationNotFound(id);
    return structuredClone(stored);
  }

  list(top = DEFAULT_LIST_SIZE): ConfigurationJson[] {
    return [...this.byId.values()].slice(0, top).map((stored) => structuredClone(stored));
  }

  delete(id: string, ifMatch: string | undefined): void {
    const stored = this.byId.get(id);
    if (!stored) throw hubErrors.configurationNotFound(id);
    const expected = normalizeEtag(ifMatch);
    if (expected !== undefined && expected !== '*' && expected !== stored.etag) {
      throw hubErrors.preconditionFailed();
    }
    this.byId.delete(id);
  }

  all(): ConfigurationJson[] {
    return this.list(Number.MAX_SAFE_INTEGER);
  }

  load(configurations: readonly ConfigurationJson[], version: number): void {
    this.byId.clear();
    for (const configuration of configurations) this.byId.set(configuration.id, configuration);
    this.version = version;
  }

  get lastVersion(): number {
    return this.version;
  }

  private build(id: string, body: unknown, existing?: ConfigurationJson): ConfigurationJson {
    if (!CONFIGURATION_ID.test(id)) {
      throw hubErrors.argumentInvalid(
        `'${id.slice(0, 140)}' is not a valid configuration id (lowercase letters, digits, -:+%_#*?!(),=@;$').`,
      );
    }
    const parsed = configurationSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw hubErrors.argumentInvalid(
        `Invalid configuration: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
      );
    }
    const given = parsed.data;
    if (given.id !== undefined && given.id !== id) {
      throw hubErrors.argumentInvalid('The id in the body differs from the one in the path.');
    }
    // Content is fixed once created; target condition, labels, priority and metrics may change.
    const now = new Date(this.clock.now()).toISOString();
    this.version += 1;
    return {
      id,
      schemaVersion: given.schemaVersion ?? '1.0',
      labels: given.labels ?? {},
      content: existing?.content ?? (structuredClone(given.content ?? {}) as JsonObject),
      targetCondition: given.targetCondition ?? existing?.targetCondition ?? '',
      createdTimeUtc: existing?.createdTimeUtc ?? now,
      lastUpdatedTimeUtc: now,
      priority: given.priority ?? 0,
      systemMetrics: { results: {}, queries: {} },
      metrics: {
        results: {},
        queries: { ...(given.metrics?.queries ?? {}) },
      },
      etag: Buffer.from(String(this.version)).toString('base64'),
    };
  }
}
