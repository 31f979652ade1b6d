import type { FieldError } from './errors';
import { propertyNameProblem, reservedKey, reservedKeyProblem } from './hubPropertyName';
import { jsonByteLength } from './jsonSize';

export const maxTwinDepth = 10;
export const maxTwinValueBytes = 4 * 1024;
export const maxDesiredBytes = 32 * 1024;
export const maxTagsBytes = 8 * 1024;

export interface TwinProblem {
  /** Keys from the section's root to the bad key. */
  path: string[];
  message: string;
}

/**
 * Checks one twin section (`tags` or `properties.desired`) against the hub's rules: key names,
 * nesting depth, the size of each value and of the whole section.
 */
export function twinSectionProblems(
  section: Record<string, unknown>,
  maxBytes: number,
): TwinProblem[] {
  const problems: TwinProblem[] = [];
  collectProblems(section, [], problems);
  const size = jsonByteLength(section);
  if (size > maxBytes) {
    problems.push({
      path: [],
      message: `is ${size} bytes as JSON, over IoT Hub's limit of ${maxBytes}`,
    });
  }
  return problems;
}

function collectProblems(
  node: Record<string, unknown>,
  path: string[],
  problems: TwinProblem[],
): void {
  for (const [key, value] of Object.entries(node)) {
    const keyPath = [...path, key];
    if (keyPath.length > maxTwinDepth) {
      problems.push({
        path: keyPath,
        message: `is nested deeper than IoT Hub's ${maxTwinDepth} levels`,
      });
      continue;
    }
    const keyProblem = propertyNameProblem(key, 'twinKey');
    if (keyProblem !== undefined)
      problems.push({ path: keyPath, message: `property name ${keyProblem}` });
    if (isPlainObject(value)) {
      collectProblems(value, keyPath, problems);
      continue;
    }
    const size = jsonByteLength(value);
    if (size > maxTwinValueBytes) {
      problems.push({
        path: keyPath,
        message: `value is ${size} bytes as JSON, over IoT Hub's limit of ${maxTwinValueBytes}`,
      });
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * zod drops a `__proto__` key from the records it builds, so the top level of each twin section is
 * checked on the raw body (deeper levels are passed through and reach `twinSectionProblems`).
 */
export function reservedTwinKeyErrors(body: unknown): FieldError[] {
  const updateTwin = isPlainObject(body) ? body.updateTwin : undefined;
  if (!isPlainObject(updateTwin)) return [];
  const properties = updateTwin.properties;
  const sections: Array<[string, unknown]> = [
    ['updateTwin.tags', updateTwin.tags],
    ['updateTwin.properties.desired', isPlainObject(properties) ? properties.desired : undefined],
  ];
  return sections
    .filter(([, section]) => isPlainObject(section) && Object.hasOwn(section, reservedKey))
    .map(([field]) => ({
      field: `${field}.${reservedKey}`,
      message: `property name ${reservedKeyProblem}`,
    }));
}
