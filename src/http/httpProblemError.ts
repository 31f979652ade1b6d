/** Every code the HTTP edge (and the local host) answers with before any use case runs. */
export type EdgeProblemCode =
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHORIZED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/** The problem `type` URI of a stable code, e.g. `urn:hubjobs:problem:payload-too-large`. */
export function problemType(code: string): string {
  return `urn:hubjobs:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/**
 * A request the HTTP edge refuses before any use case runs (413, 415, ...); `toProblem` turns it
 * into problem+json with exactly this status, code, title and detail.
 */
export class HttpProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: EdgeProblemCode,
    readonly title: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail === undefined ? title : `${title}: ${detail}`);
    this.name = 'HttpProblemError';
  }
}
