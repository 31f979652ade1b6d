/**
 * The one redaction every log line and every error body goes through. It removes the forms a
 * secret takes in outside text (a connection string, a SAS token, a key, a bearer token, a
 * function key) and the configured secret values themselves, so a hub error that quotes a key
 * verbatim is clean too.
 */
const connectionStringPart = String.raw`[A-Za-z][A-Za-z0-9]*=[^;\s"',]*`;

const secretForms: readonly [RegExp, string][] = [
  // A whole connection string that carries a key: every part goes, names and endpoints too.
  [
    new RegExp(
      String.raw`(?:${connectionStringPart};)*(?:SharedAccessKey|AccountKey)=[^;\s"',]*(?:;${connectionStringPart})*;?`,
      'gi',
    ),
    '[redacted connection string]',
  ],
  [/SharedAccessSignature\s+[^\s"',]+/gi, 'SharedAccessSignature [redacted]'],
  [/\bsig=[^&\s"';,]+/gi, 'sig=[redacted]'],
  [/\b(SharedAccessKey|AccountKey|SharedAccessKeyName)=[^;\s"',]+/gi, '$1=[redacted]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  // A function key in a URL (`?code=`) or in its header.
  [/([?&]|\b)code=[^&\s"';,]+/gi, '$1code=[redacted]'],
  // Quotes may come escaped, when the header sits in JSON inside a log property.
  [/\bx-functions-key([\\"'\s]*[:=][\\"'\s]*)[^\s"',;&\\]+/gi, 'x-functions-key$1[redacted]'],
];

/** Shorter values are not treated as secrets: they would redact ordinary words. */
const minSecretLength = 8;
let secretValues: string[] = [];

/**
 * Registers the secrets this process was configured with (keys, connection strings, a function
 * key), in addition to those already known. Called by the composition root and the local host.
 */
export function registerSecretValues(values: readonly (string | undefined)[]): void {
  const known = new Set(secretValues);
  for (const value of values) {
    if (value === undefined || value.length < minSecretLength) continue;
    known.add(value);
    known.add(encodeURIComponent(value));
  }
  // Longest first, so a connection string goes whole before the key inside it.
  secretValues = [...known].sort((a, b) => b.length - a.length);
}

/** Forgets the registered values (tests). */
export function clearSecretValues(): void {
  secretValues = [];
}

export function redactSecrets(text: string): string {
  let redacted = text;
  for (const value of secretValues) redacted = redacted.split(value).join('[redacted]');
  for (const [pattern, replacement] of secretForms) {
    redacted = redacted.replace(pattern, replacement);
  }
  return redacted;
}

/** Redacted and cut to `maxLength` characters: for outside text quoted in an error message. */
export function redactedExcerpt(text: string, maxLength = 500): string {
  const redacted = redactSecrets(text);
  return redacted.length > maxLength ? `${redacted.slice(0, maxLength)}…` : redacted;
}
