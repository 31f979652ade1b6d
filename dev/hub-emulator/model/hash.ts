const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_POW_32 = 4294967296;

/** Spreads the bits of a 32-bit integer so that close inputs give unrelated outputs. */
function avalanche(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of the parts (FNV-1a with a final avalanche); the same parts always give the same value. */
export function hash32(...parts: readonly (string | number)[]): number {
  const text = parts.join('\u001f');
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return avalanche(h);
}

/** A number in [0, 1) derived only from the parts. */
export function unitHash(...parts: readonly (string | number)[]): number {
  return hash32(...parts) / TWO_POW_32;
}

/** A deterministic sequence of numbers in [0, 1), seeded from the parts. */
export function hashStream(...parts: readonly (string | number)[]): () => number {
  let state = hash32(...parts);
  return () => {
    state = (state + 0x9e3779b9) | 0;
    return avalanche(state) / TWO_POW_32;
  };
}
