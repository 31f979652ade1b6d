/** App settings as the process sees them; blank values count as unset. */
export type Env = Readonly<Record<string, string | undefined>>;

export function readSetting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Echoes a bad value back in an error message, shortened. Only for settings that hold no secret;
 * a query string or `;`-separated tail (where a SAS or key could hide) is cut off all the same.
 */
export function shown(value: string): string {
  const safe = value.replace(/[?;].*$/s, '…');
  return safe.length > 60 ? `'${safe.slice(0, 57)}...'` : `'${safe}'`;
}

/** `Key=value;…` pairs, keys lower-cased; a value may itself contain `=` (base64 keys end with it). */
export function parseConnectionString(connectionString: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const value = part.slice(separator + 1).trim();
    if (value !== '') pairs.set(part.slice(0, separator).trim().toLowerCase(), value);
  }
  return pairs;
}

export function isHttpUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') && url.host !== '';
}
