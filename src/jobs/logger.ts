/** Where use cases report what happened; the trigger adapters bind it to the invocation's log. */
export interface Logger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * A one-line description of a failure for logs: the error's name, its classification and its
 * message, never a stack or a request (which could carry a SAS token).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const kind = (error as { kind?: unknown }).kind;
  const code = (error as { code?: unknown }).code;
  const tags = [kind, code].filter(
    (value) => typeof value === 'string' || typeof value === 'number',
  );
  const label = tags.length > 0 ? `${error.name}(${tags.join(', ')})` : error.name;
  return `${label}: ${redactSecrets(error.message)}`;
}

const secretPatterns: RegExp[] = [
  /sig=[^&\s"';]+/gi,
  /SharedAccessKey=[^;\s"']+/gi,
  /AccountKey=[^;\s"']+/gi,
  /SharedAccessSignature [^\s"']+/gi,
];

/** Belt and braces: messages from SDKs may quote a connection string or a SAS token. */
export function redactSecrets(text: string): string {
  return secretPatterns.reduce((result, pattern) => result.replace(pattern, '[redacted]'), text);
}
