/**
 * Just enough JSON Schema (2020-12) to check the OpenAPI document against samples: the keywords
 * zod emits for hubjobs' schemas. Refs resolve inside the given document only.
 */
type Schema = Record<string, unknown> | boolean;

export function validatesAgainst(document: object, schema: Schema, value: unknown): boolean {
  return check(document, schema, value);
}

function check(document: object, schema: Schema, value: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  const keywords = Object.entries(schema);
  return keywords.every(([keyword, argument]) =>
    checkKeyword(document, schema, keyword, argument, value),
  );
}

function resolve(document: object, ref: string): Schema {
  const path = ref.replace(/^#\//, '').split('/');
  return path.reduce<unknown>(
    (node, key) => (node as Record<string, unknown>)[key],
    document,
  ) as Schema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return typeOf(value) === type;
}

function checkKeyword(
  document: object,
  schema: Record<string, unknown>,
  keyword: string,
  argument: unknown,
  value: unknown,
): boolean {
  const sub = (s: unknown, v: unknown): boolean => check(document, s as Schema, v);
  const object = typeOf(value) === 'object' ? (value as Record<string, unknown>) : undefined;
  const array = Array.isArray(value) ? (value as unknown[]) : undefined;
  const text = typeof value === 'string' ? [...value] : undefined;
  const number = typeof value === 'number' ? value : undefined;
  switch (keyword) {
    case '$ref':
      return sub(resolve(document, argument as string), value);
    case 'type':
      return (Array.isArray(argument) ? argument : [argument]).some((t) =>
        hasType(value, t as string),
      );
    case 'const':
      return JSON.stringify(value) === JSON.stringify(argument);
    case 'enum':
      return (argument as unknown[]).some(
        (option) => JSON.stringify(option) === JSON.stringify(value),
      );
    case 'properties':
      return (
        !object ||
        Object.entries(argument as Record<string, unknown>).every(
          ([k, s]) => !(k in object) || sub(s, object[k]),
        )
      );
    case 'required':
      return !object || (argument as string[]).every((k) => k in object);
    case 'additionalProperties': {
      const known = Object.keys((schema.properties as object | undefined) ?? {});
      return (
        !object || Object.entries(object).every(([k, v]) => known.includes(k) || sub(argument, v))
      );
    }
    case 'propertyNames':
      return !object || Object.keys(object).every((k) => sub(argument, k));
    case 'pattern':
      return typeof value !== 'string' || new RegExp(argument as string, 'u').test(value);
    case 'minLength':
      return !text || text.length >= (argument as number);
    case 'maxLength':
      return !text || text.length <= (argument as number);
    case 'minimum':
      return number === undefined || number >= (argument as number);
    case 'maximum':
      return number === undefined || number <= (argument as number);
    case 'minItems':
      return !array || array.length >= (argument as number);
    case 'maxItems':
      return !array || array.length <= (argument as number);
    case 'uniqueItems':
      return (
        !array || !argument || new Set(array.map((v) => JSON.stringify(v))).size === array.length
      );
    case 'items':
      return !array || array.every((v) => sub(argument, v));
    case 'oneOf':
      return (argument as unknown[]).filter((s) => sub(s, value)).length === 1;
    case 'anyOf':
      return (argument as unknown[]).some((s) => sub(s, value));
    case 'allOf':
      return (argument as unknown[]).every((s) => sub(s, value));
    case 'not':
      return !sub(argument, value);
    default:
      return true; // annotations: description, default, format, title, examples
  }
}
