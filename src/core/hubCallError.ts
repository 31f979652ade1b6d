/**
 * How a failed hub call should be handled, decided from the HTTP status and the
 * `iothub-errorcode` header / body code (never from the SDK's error class, docs/iothub.md, Errors).
 */
export type HubErrorKind =
  | 'maxActiveJobs' // 429004: no free job slot; try again later
  | 'throttled' // other 429s: back off, honour Retry-After
  | 'transient' // 5xx, timeouts, socket errors
  | 'notFound' // 404
  | 'conflict' // 409, e.g. 409104 JobAlreadyExists
  | 'preconditionFailed' // 412
  | 'badRequest' // 400, 413: the hub refuses this request for good
  | 'unauthorized' // 401, 403
  | 'overBudget' // not sent: hubjobs' share of the hub's quota is spent for now (docs/hub-budget.md)
  | 'unknown';

export class HubCallError extends Error {
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    readonly details: {
      status?: number;
      /** The 6-digit code, e.g. 429004. */
      code?: number;
      /** The code's name, e.g. `ThrottlingMaxActiveJobCountExceeded`. */
      codeName?: string;
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = 'HubCallError';
  }

  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'transient';
  }
}
