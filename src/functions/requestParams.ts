import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { ValidationError } from '../jobs/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../jobs/fieldErrors';
import { parseJobId } from '../jobs/schemas';

/** The `{jobId}` route parameter, validated (400 naming `jobId` otherwise). */
export function jobIdParam(request: HttpRequest): string {
  return parseJobId(request.params.jobId);
}

/** Query-string parameters parsed with `schema`; each bad one is named in a 400. */
export function queryParams<T extends z.ZodType>(request: HttpRequest, schema: T): z.output<T> {
  const raw = Object.fromEntries(request.query.entries());
  const parsed = schema.safeParse(raw, { error: parseErrorMap });
  if (!parsed.success) throw new ValidationError(fieldErrorsFromZod(parsed.error.issues, 'query'));
  return parsed.data;
}

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: absent, or 1-255 visible ASCII characters. */
export function idempotencyKey(request: HttpRequest): string | undefined {
  const key = request.headers.get('idempotency-key');
  if (key === null) return undefined;
  if (!idempotencyKeyPattern.test(key)) {
    throw new ValidationError([
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
}
