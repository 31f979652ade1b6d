import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { redactSecrets } from '../core/redactSecrets';
import {
  DomainError,
  ValidationError,
  type DomainErrorCode,
  type FieldError,
} from '../core/errors';
import { HubCallError } from '../core/hubCallError';
import { SettingsError } from '../settings';
import { InvalidContinuationTokenError } from '../core/continuationToken';
import { HttpProblemError, problemType } from './httpProblemError';

export const problemContentType = 'application/problem+json';

/** RFC 9457 problem details; `errors` names each bad field of a rejected request. */
export const problemSchema = z
  .object({
    type: z.string().meta({
      description: 'A URI naming the kind of problem; about:blank when the status says it all.',
    }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().meta({
      description:
        "hubjobs' stable error code, e.g. VALIDATION_FAILED, ROUTE_NOT_FOUND, INVALID_CONTINUATION_TOKEN.",
    }),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ description: 'RFC 9457 problem details (application/problem+json).' });
export type ProblemDetails = z.output<typeof problemSchema>;

export interface ProblemResponse extends HttpResponseInit {
  status: number;
  headers: Record<string, string>;
  jsonBody: ProblemDetails;
}

/** Every problem names its stable `code`; `type` defaults to the URI made from it. */
type ProblemExtras = Pick<ProblemDetails, 'code'> &
  Partial<Pick<ProblemDetails, 'type' | 'instance' | 'errors'>> &
  Record<string, unknown>;

export function problemResponse(
  status: number,
  title: string,
  detail: string | undefined,
  extra: ProblemExtras,
): ProblemResponse {
  const { type = problemType(extra.code), code, ...members } = extra;
  return {
    status,
    headers: { 'content-type': problemContentType },
    jsonBody: {
      type,
      title,
      status,
      // Details are written for callers, but may quote outside text: redacted like a log line.
      ...(detail === undefined ? {} : { detail: redactSecrets(detail) }),
      code,
      ...members,
    },
  };
}

const internalError = (): ProblemResponse =>
  problemResponse(500, 'Internal error', undefined, { code: 'INTERNAL_ERROR' });

/** Every domain error code, by HTTP status: a code missing here does not compile. */
const domainStatuses: Readonly<Record<DomainErrorCode, { status: number; title: string }>> = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  JOB_NOT_FOUND: { status: 404, title: 'Job not found' },
  JOB_EXISTS: { status: 409, title: 'Job already exists' },
  ROLLOUT_NOT_FOUND: { status: 404, title: 'Rollout not found' },
  ROLLOUT_EXISTS: { status: 409, title: 'Rollout already exists' },
  SCHEDULE_NOT_FOUND: { status: 404, title: 'Schedule not found' },
  SCHEDULE_EXISTS: { status: 409, title: 'Schedule already exists' },
  CONFLICT: { status: 409, title: 'Conflict' },
  CONCURRENT_UPDATE: { status: 409, title: 'Concurrent update' },
  IDEMPOTENT_REQUEST_IN_FLIGHT: { status: 409, title: 'Request in progress' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused' },
  INVALID_CONTINUATION_TOKEN: { status: 400, title: 'Invalid continuation token' },
};

/**
 * Maps any thrown value to problem+json. Only domain errors, which are written for callers, lend
 * their message; everything else gets a fixed text, so no stack, connection string or SAS leaks.
 */
export function toProblem(error: unknown): ProblemResponse {
  if (error instanceof HttpProblemError) {
    const response = problemResponse(error.status, error.title, error.detail, {
      type: problemType(error.code),
      code: error.code,
    });
    return { ...response, headers: { ...response.headers, ...error.headers } };
  }
  if (error instanceof ValidationError) return validationProblem(error.errors);
  if (error instanceof DomainError) return domainProblem(error);
  if (error instanceof HubCallError) return hubProblem(error);
  if (error instanceof SettingsError) {
    return problemResponse(
      500,
      'Configuration error',
      `The app is misconfigured (${error.settingNames.join(', ')}); see its log.`,
      {
        code: 'CONFIGURATION_INVALID',
        type: problemType('CONFIGURATION_INVALID'),
      },
    );
  }
  return internalError();
}

export function validationProblem(errors: FieldError[]): ProblemResponse {
  const fields = [...new Set(errors.map((e) => e.field))].join(', ');
  return problemResponse(400, 'Request validation failed', `Invalid: ${fields}.`, {
    type: problemType('VALIDATION_FAILED'),
    code: 'VALIDATION_FAILED',
    errors: errors.map(({ field, message }) => ({ field, message: redactSecrets(message) })),
  });
}

function domainProblem(error: DomainError): ProblemResponse {
  // Undefined only for a code forced past the type checker.
  const known = domainStatuses[error.code] as (typeof domainStatuses)[DomainErrorCode] | undefined;
  if (known === undefined) return internalError();
  const detail =
    error.code === 'CONCURRENT_UPDATE'
      ? 'The job changed while this request ran; retry the request.'
      : error.message;
  return problemResponse(known.status, known.title, detail, {
    type: problemType(error.code),
    code: error.code,
    ...(error instanceof InvalidContinuationTokenError ? { errors: error.errors } : {}),
  });
}

function hubProblem(error: HubCallError): ProblemResponse {
  const { status, code, codeName, retryAfterMs } = error.details;
  const answer = [status, code, codeName].filter((part) => part !== undefined).join(' ');
  const said = answer === '' ? 'IoT Hub did not answer' : `IoT Hub answered ${answer}`;
  const extras = {
    type: problemType(`HUB_${error.kind.toUpperCase()}`),
    code: `HUB_${error.kind.toUpperCase()}`,
  };
  const retryAfter: Record<string, string> =
    retryAfterMs === undefined
      ? {}
      : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
  const respond = (httpStatus: number, title: string, detail: string): ProblemResponse => {
    const response = problemResponse(httpStatus, title, detail, extras);
    return { ...response, headers: { ...response.headers, ...retryAfter } };
  };
  switch (error.kind) {
    case 'maxActiveJobs':
    case 'throttled':
    case 'overBudget':
      return respond(429, 'IoT Hub is throttling', `${said}; retry later.`);
    case 'transient':
      return respond(503, 'IoT Hub is unavailable', `${said}; retry later.`);
    case 'badRequest':
      return respond(422, 'IoT Hub refused the request', `${said}.`);
    default:
      return respond(502, 'IoT Hub call failed', `${said}.`);
  }
}
