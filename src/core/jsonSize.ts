/** Size in UTF-8 bytes of a value serialised as JSON, the way the hub measures it. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/**
 * Nesting allowed in a request body. Far beyond any real payload; it keeps recursive work
 * (serialising, hashing, storing) safe from bodies nested hundreds of thousands deep.
 */
export const maxJsonDepth = 100;

/**
 * The path to the first object or array nested deeper than `maxDepth`, or undefined. Iterative,
 * so it cannot overflow the stack itself.
 */
export function pathBeyondDepth(
  value: unknown,
  maxDepth = maxJsonDepth,
): Array<string | number> | undefined {
  const pending: Array<{ node: unknown; path: Array<string | number> }> = [
    { node: value, path: [] },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, path } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (path.length >= maxDepth) return path;
    for (const [key, child] of Object.entries(node)) {
      pending.push({ node: child, path: [...path, Array.isArray(node) ? Number(key) : key] });
    }
  }
  return undefined;
}
