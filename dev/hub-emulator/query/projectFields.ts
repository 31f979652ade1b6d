import type { ProjectedField } from './ast';
import { operandReader } from './pathReader';

export type RowProjection = (row: object) => Record<string, unknown>;

/**
 * Compiles a projection once: each row becomes an object holding the selected values under their
 * names. A value the row lacks is left out, as the hub leaves out undefined properties.
 */
export function compileProjection(fields: readonly ProjectedField[]): RowProjection {
  const readers = fields.map((field) => [field.name, operandReader(field.path)] as const);
  return (row) => {
    const item: Record<string, unknown> = {};
    for (const [name, read] of readers) {
      const value = read(row);
      if (value !== undefined) item[name] = value;
    }
    return item;
  };
}
