import type { z } from 'zod';
import { problemContentType, problemSchema } from './problem';

/** One documented answer: its headers, and a zod schema per media type (none: an empty body). */
export interface ApiResponse {
  description: string;
  headers?: Record<string, { description: string }>;
  content?: Record<string, z.ZodType>;
}

/**
 * What an HTTP function takes and answers, beside the options the Functions runtime reads (which
 * hold its method and route). The OpenAPI paths are generated from these, so every served route
 * is documented and nothing documented is unserved.
 */
export interface HttpApi {
  summary: string;
  description?: string;
  /** One schema per `{name}` of the route. */
  pathParameters?: Record<string, z.ZodType>;
  /** The query parameters the function reads; any other is refused (except the function key). */
  query?: z.ZodObject;
  /** The POST is safe to retry under an `Idempotency-Key`. */
  idempotencyKey?: boolean;
  requestBody?: z.ZodType;
  /** By status code (`'200'`, `'404'`, ...), and `default` for anything else. */
  responses: Record<string, ApiResponse>;
}

export function jsonAnswer(
  description: string,
  schema: z.ZodType,
  headers?: ApiResponse['headers'],
): ApiResponse {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': schema } };
}

export function problemAnswer(description: string): ApiResponse {
  return { description, content: { [problemContentType]: problemSchema } };
}

export const locationHeader = { Location: { description: 'URL of the job.' } };

export const anyOtherProblem = { default: problemAnswer('Any other error.') };

/** Hub throttling or an outage, for a route that waits for the hub's answer. */
export const hubProblems = {
  '429': problemAnswer('IoT Hub is throttling; retry after Retry-After.'),
  '503': problemAnswer('IoT Hub is unavailable; retry later.'),
  ...anyOtherProblem,
};

export const bodyProblems = {
  '413': problemAnswer('The body is too large.'),
  '415': problemAnswer('The body is not application/json.'),
};
