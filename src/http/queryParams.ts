import type { z } from 'zod';
import { ValidationError, type FieldError } from '../core/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../core/fieldErrors';
import {
  deviceResultsQuerySchema,
  jobListQuerySchema,
  type DeviceResultsQuery,
  type JobListQuery,
} from '../jobs/schemas';
import { rolloutListQuerySchema, type RolloutListQuery } from '../rollouts/rolloutRequestSchema';

/** The function key may ride in the query; the Functions front end reads it, not the route. */
const functionKeyParameter = 'code';

/**
 * Reads the parameters a schema names from a URL's query, as strictly as a body: blank values
 * count as absent, a parameter given twice or one the schema does not name (but the function key
 * `code`) is an error, so a typo such as `pagesize` is not silently ignored.
 */
export function parseQueryParams<Schema extends z.ZodObject>(
  schema: Schema,
  params: URLSearchParams,
): z.output<Schema> {
  const input: Record<string, string> = {};
  const errors: FieldError[] = unknownParameters(schema, params);
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

function unknownParameters(schema: z.ZodObject, params: URLSearchParams): FieldError[] {
  const known = new Set([...Object.keys(schema.shape), functionKeyParameter]);
  const unknown = new Set([...params.keys()].filter((name) => !known.has(name)));
  const accepted = [...known].filter((name) => name !== functionKeyParameter).join(', ');
  return [...unknown].map((name) => ({
    field: name.length > 64 ? `${name.slice(0, 61)}...` : name,
    message: `is not a parameter of this route (it takes ${accepted})`,
  }));
}

/** `GET /jobs` parameters; `createdAfter` comes back in UTC, the form the store compares. */
export function parseJobListQuery(params: URLSearchParams): JobListQuery {
  const query = parseQueryParams(jobListQuerySchema, params);
  if (query.createdAfter === undefined) return query;
  return { ...query, createdAfter: new Date(query.createdAfter).toISOString() };
}

/** `GET /rollouts` parameters; `createdAfter` in UTC, as for jobs. */
export function parseRolloutListQuery(params: URLSearchParams): RolloutListQuery {
  const query = parseQueryParams(rolloutListQuerySchema, params);
  if (query.createdAfter === undefined) return query;
  return { ...query, createdAfter: new Date(query.createdAfter).toISOString() };
}

/** `GET /jobs/{jobId}/devices` parameters. */
export function parseDeviceResultsQuery(params: URLSearchParams): DeviceResultsQuery {
  return parseQueryParams(deviceResultsQuerySchema, params);
}
