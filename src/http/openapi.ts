import { idempotencyKeyMaxLength } from '../core/idempotency';
import { buildComponentSchemas, type JsonSchema } from './openapiComponents';
import { buildPaths, type DocumentedRoute } from './openapiPaths';

/**
 * OpenAPI 3.1 description of the HTTP API and the queue message: the paths from the HTTP function
 * declarations, the schemas from zod.
 */
export function buildOpenApiDocument(routes: readonly DocumentedRoute[]): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hubjobs',
      version: '1',
      description:
        'Runs Azure IoT Hub jobs (direct methods, twin updates) and keeps their status and per-device results in Table Storage. ' +
        'The job-requests queue carries base64 JSON messages described by the WorkMessage schema. ' +
        'Every error is application/problem+json with a stable `code`. A query parameter a route does not name is refused ' +
        '(400 naming it), except the function key `code`.',
    },
    servers: [{ url: '/api' }],
    security: [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
    paths: buildPaths(routes),
    components: {
      schemas: buildComponentSchemas(),
      securitySchemes: {
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
      parameters: {
        idempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes the POST safe to retry for 24 h: a replay gets the first response, a different body under the same key 422, a replay while the first is running 409.',
          schema: {
            type: 'string',
            minLength: 1,
            maxLength: idempotencyKeyMaxLength,
            pattern: '^[\\x21-\\x7e]+$',
          },
        },
      },
    },
  };
}
