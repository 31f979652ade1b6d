/**
 * A table string property holds at most 64 KiB (32 Ki UTF-16 units), so larger JSON is split
 * across numbered properties: `<name>`, `<name>1`, `<name>2`, … with `<name>Parts` = the count.
 */
const maxCharsPerProperty = 30_000;

export function toJsonProperties(name: string, value: unknown): Record<string, string | number> {
  // JSON.stringify(undefined) is undefined; store it as null rather than lose the property.
  const json = JSON.stringify(value) ?? 'null';
  const parts = splitWithoutBreakingSurrogates(json, maxCharsPerProperty);
  const properties: Record<string, string | number> = { [`${name}Parts`]: parts.length };
  parts.forEach((part, index) => {
    properties[index === 0 ? name : `${name}${index}`] = part;
  });
  return properties;
}

/** Reassembles what `toJsonProperties` wrote; `undefined` when the value was never written. */
export function fromJsonProperties(entity: Record<string, unknown>, name: string): unknown {
  const count = entity[`${name}Parts`];
  if (typeof count !== 'number') return undefined;
  let json = '';
  for (let index = 0; index < count; index++) {
    const part = entity[index === 0 ? name : `${name}${index}`];
    if (typeof part !== 'string') {
      throw new Error(`Stored JSON property ${name} is missing part ${index} of ${count}.`);
    }
    json += part;
  }
  return JSON.parse(json) as unknown;
}

function splitWithoutBreakingSurrogates(text: string, size: number): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < text.length || parts.length === 0) {
    let end = Math.min(start + size, text.length);
    // A lone half of a surrogate pair would not survive the trip through the service.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
