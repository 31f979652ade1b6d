/** A query the emulator cannot run; the message names the offending token and its column. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based column of the offending token, when there is one. */
    readonly column?: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

const MAX_SHOWN_TOKEN_LENGTH = 40;

/** Keeps error messages short when the offending text is long. */
export function shorten(text: string): string {
  return text.length > MAX_SHOWN_TOKEN_LENGTH ? `${text.slice(0, MAX_SHOWN_TOKEN_LENGTH)}…` : text;
}

export function unsupportedSyntax(column: number, text: string, hint = ''): QuerySyntaxError {
  const message = `Unsupported syntax at column ${column}: ${shorten(text)}${hint && ` (${hint})`}`;
  return new QuerySyntaxError(message, column);
}
