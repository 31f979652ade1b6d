/**
 * A request the HTTP edge refuses before any use case runs (413, 415, ...); `toProblem` turns it
 * into problem+json with exactly this status, title and detail.
 */
export class HttpProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail === undefined ? title : `${title}: ${detail}`);
    this.name = 'HttpProblemError';
  }
}
