/** Size in UTF-8 bytes of a value serialised as JSON, the way the hub measures it. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}
