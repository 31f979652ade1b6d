import { hubErrors } from '../hubError';
import type { JsonObject, JsonValue } from './types';

const MAX_DEPTH = 10;
const MAX_KEY_BYTES = 1024;
const MAX_TAGS_BYTES = 8 * 1024;
const MAX_DESIRED_BYTES = 32 * 1024;
// Control characters (C0, DEL, C1), '.', '$' and space are not allowed in twin keys.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_KEY_CHARACTERS = /[\u0000-\u001f\u007f-\u009f.$ ]/;

/** The parts of a twin a service-side caller may change. */
export interface TwinPatch {
  tags?: JsonObject;
  desired?: JsonObject;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateKeys(value: unknown, path: string, depth: number): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => validateKeys(item, `${path}[${index}]`, depth + 1));
    return;
  }
  if (!isJsonObject(value)) return;
  if (depth > MAX_DEPTH) {
    throw hubErrors.argumentInvalid(`${path} is nested deeper than ${MAX_DEPTH} levels.`);
  }
  for (const [key, child] of Object.entries(value)) {
    if (key.length === 0 || FORBIDDEN_KEY_CHARACTERS.test(key)) {
      throw hubErrors.argumentInvalid(
        `Invalid twin property name '${key}' in ${path}: names may not be empty or contain '.', '$', spaces or control characters.`,
      );
    }
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
      throw hubErrors.argumentInvalid(`A twin property name in ${path} is longer than 1 KB.`);
    }
    validateKeys(child, `${path}.${key}`, depth + 1);
  }
}

/** A twin section as a JSON object with valid names; undefined when absent. */
export function optionalSection(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw hubErrors.argumentInvalid(`${path} must be a JSON object.`);
  validateKeys(value, path, 1);
  return value;
}

/**
 * Reads a twin patch or replacement body. The `properties.reported` part is accepted and
 * ignored: SDK code sends an empty one, and the service side cannot write reported properties.
 */
export function parseTwinPatch(body: unknown): TwinPatch {
  if (!isJsonObject(body)) throw hubErrors.argumentInvalid('The twin body must be a JSON object.');
  const properties = body.properties;
  if (properties !== undefined && properties !== null && !isJsonObject(properties)) {
    throw hubErrors.argumentInvalid('properties must be a JSON object.');
  }
  const tags = optionalSection(body.tags, 'tags');
  const desired = optionalSection(properties?.desired, 'properties.desired');
  return { ...(tags ? { tags } : {}), ...(desired ? { desired } : {}) };
}

function cloneWithoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneWithoutNulls);
  if (!isJsonObject(value)) return value;
  const copy: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null) copy[key] = cloneWithoutNulls(child);
  }
  return copy;
}

/** Merges `patch` into `target` the hub's way: objects merge, `null` deletes, anything else replaces. */
export function mergeInto(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isJsonObject(value)) {
      const existing = target[key];
      const child = isJsonObject(existing) ? existing : {};
      mergeInto(child, value);
      target[key] = child;
    } else {
      target[key] = cloneWithoutNulls(value);
    }
  }
}

/** A full copy of a section with `null` members left out (a replacement has nothing to delete). */
export function replacementOf(section: JsonObject): JsonObject {
  return cloneWithoutNulls(section) as JsonObject;
}

export function checkSectionSizes(tags: JsonObject, desired: JsonObject): void {
  if (Buffer.byteLength(JSON.stringify(tags)) > MAX_TAGS_BYTES) {
    throw hubErrors.argumentInvalid('The twin tags would be larger than 8 KB.');
  }
  if (Buffer.byteLength(JSON.stringify(desired)) > MAX_DESIRED_BYTES) {
    throw hubErrors.argumentInvalid('The desired properties would be larger than 32 KB.');
  }
}

/** An If-Match value as the SDK sends it (`"*"`, `"AAAA…"`, maybe weak) reduced to the bare etag. */
export function normalizeEtag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bare = value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
  return bare === '' ? undefined : bare;
}

/** Throws 412 PreconditionFailed unless `ifMatch` is absent, `*` or the current etag. */
export function checkEtag(currentEtag: string, ifMatch: string | undefined): void {
  const expected = normalizeEtag(ifMatch);
  if (expected === undefined || expected === '*' || expected === currentEtag) return;
  throw hubErrors.preconditionFailed();
}
