const secretPatterns: readonly [RegExp, string][] = [
  [/SharedAccessSignature\s+[^\s"',]+/gi, 'SharedAccessSignature [redacted]'],
  [/\bsig=[^&\s"';,]+/gi, 'sig=[redacted]'],
  [/\b(SharedAccessKey|AccountKey|SharedAccessKeyName)=[^;\s"',]+/gi, '$1=[redacted]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
];

const maxTextLength = 500;

/**
 * Makes outside text (a hub message, a socket error) fit for an error message or a log line:
 * SAS tokens, keys and bearer tokens removed, length bounded.
 */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of secretPatterns) {
    redacted = redacted.replace(pattern, replacement);
  }
  return redacted.length > maxTextLength ? `${redacted.slice(0, maxTextLength)}…` : redacted;
}
