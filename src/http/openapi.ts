import { jobIdPattern } from '../jobs/schemas';
import { buildComponentSchemas, type JsonSchema } from './openapiComponents';
import { buildPaths } from './openapiPaths';

/** OpenAPI 3.1 description of the HTTP API and the queue message, built from the zod schemas. */
export function buildOpenApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hubjobs',
      version: '1',
      description:
        'Runs Azure IoT Hub jobs (direct methods, twin updates) and keeps their status and per-device results in Table Storage. ' +
        'The job-requests queue carries base64 JSON messages described by the WorkMessage schema.',
    },
    servers: [{ url: '/api' }],
    security: [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
    paths: buildPaths(),
    components: {
      schemas: buildComponentSchemas(),
      securitySchemes: {
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
      parameters: {
        jobId: {
          name: 'jobId',
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: jobIdPattern.source },
        },
        idempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes the POST safe to retry for 24 h: a replay gets the first response, a different body under the same key 422, a replay while the first is running 409.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      },
    },
  };
}
