import { redactSecrets } from './redactSecrets';

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

/** One log line from a message and its properties, secrets redacted. */
export function logLine(message: string, properties?: Record<string, unknown>): string {
  return redactSecrets(
    properties === undefined ? message : `${message} ${JSON.stringify(properties)}`,
  );
}

/** A logger writing each redacted line to the three sinks a host gives it. */
export function lineLogger(sinks: Record<keyof Logger, (line: string) => void>): Logger {
  return {
    info: (message, properties) => sinks.info(logLine(message, properties)),
    warn: (message, properties) => sinks.warn(logLine(message, properties)),
    error: (message, properties) => sinks.error(logLine(message, properties)),
  };
}

/**
 * A one-line description of a failure for logs: the error's name, its classification and the
 * first line of its message, never a stack or a request (which could carry a SAS token).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return redactSecrets(firstLine(String(error)));
  const kind = (error as { kind?: unknown }).kind;
  const code = (error as { code?: unknown }).code;
  const tags = [kind, code].filter(
    (value) => typeof value === 'string' || typeof value === 'number',
  );
  const label = tags.length > 0 ? `${error.name}(${tags.join(', ')})` : error.name;
  return `${label}: ${redactSecrets(firstLine(error.message))}`;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? text;
}
