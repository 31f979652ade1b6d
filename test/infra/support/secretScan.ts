/** What a key, a connection string with a key or a SAS looks like in a file, by label. */
export const secretPatterns: readonly (readonly [string, RegExp])[] = [
  // listKeys(), listAccountSas(), listConnectionStrings(), listSecrets() … hand out keys.
  ['a list*() call', /\blist[A-Z]\w*\s*\(/],
  ['a storage account key', /AccountKey\s*=/i],
  ['a shared access key', /SharedAccessKey/i],
  ['a SAS', /SharedAccessSignature|[?&;]sig=|\bsv=\d{4}-\d{2}-\d{2}/i],
  ['a storage connection string', /DefaultEndpointsProtocol\s*=|UseDevelopmentStorage/i],
  ['a key property', /\b(primary|secondary)(Key|ConnectionString)\b/i],
  ['an instrumentation key', /InstrumentationKey\s*=/i],
  // Base64 of 32 or 64 random bytes: how hub, storage and function keys are written.
  ['a base64 key', /[A-Za-z0-9+/]{42,}={1,2}/],
];

/** Every secret-shaped text in the files, comments included, as `file:line: label`. */
export function secretFindings(files: ReadonlyMap<string, string>): string[] {
  const findings: string[] = [];
  for (const [file, text] of files) {
    text.split('\n').forEach((line, index) => {
      for (const [label, pattern] of secretPatterns) {
        if (pattern.test(line)) findings.push(`${file}:${index + 1}: ${label}`);
      }
    });
  }
  return findings;
}
