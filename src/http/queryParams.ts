import type { z } from 'zod';
import { ValidationError, type FieldError } from '../core/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../core/fieldErrors';
import {
  deviceResultsQuerySchema,
  jobListQuerySchema,
  type DeviceResultsQuery,
  type JobListQuery,
} from '../jobs/schemas';

/**
 * Reads the parameters a schema names from a URL's query. Blank values count as absent; others
 * (such as the function key `code`) are ignored; a parameter given twice is an error.
 */
export function parseQueryParams<Schema extends z.ZodObject>(
  schema: Schema,
  params: URLSearchParams,
): z.output<Schema> {
  const input: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const name of Object.keys(schema.shape)) {
    const values = params.getAll(name).filter((value) => value.trim() !== '');
    if (values.length > 1) errors.push({ field: name, message: 'must be given at most once' });
    if (values[0] !== undefined) input[name] = values[0];
  }
  const parsed = schema.safeParse(input, { error: parseErrorMap });
  if (!parsed.success) errors.push(...fieldErrorsFromZod(parsed.error.issues, 'query'));
  if (errors.length > 0 || !parsed.success) throw new ValidationError(errors);
  return parsed.data;
}

/** `GET /jobs` parameters; `createdAfter` comes back in UTC, the form the store compares. */
export function parseJobListQuery(params: URLSearchParams): JobListQuery {
  const query = parseQueryParams(jobListQuerySchema, params);
  if (query.createdAfter === undefined) return query;
  return { ...query, createdAfter: new Date(query.createdAfter).toISOString() };
}

/** `GET /jobs/{jobId}/devices` parameters. */
export function parseDeviceResultsQuery(params: URLSearchParams): DeviceResultsQuery {
  return parseQueryParams(deviceResultsQuerySchema, params);
}
