import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { buildOpenApiDocument } from '../http/openapi';
import type { DocumentedRoute } from '../http/openapiPaths';
import type { ApiFunctionDeclaration } from './functionDeclaration';

/**
 * GET /openapi.json (anonymous): the document of `routes()` (every HTTP declaration, this one
 * among them, hence read lazily), built once per process.
 */
export function openApiFunction(routes: () => readonly DocumentedRoute[]): ApiFunctionDeclaration {
  let document: unknown;
  const handler = (): Promise<HttpResponseInit> => {
    document ??= buildOpenApiDocument(routes());
    return Promise.resolve({ status: 200, jsonBody: document });
  };
  return {
    kind: 'http',
    name: 'openapi',
    options: { methods: ['GET'], authLevel: 'anonymous', route: 'openapi.json', handler },
    api: {
      summary: 'This document.',
      responses: {
        '200': {
          description: 'OpenAPI 3.1.',
          content: { 'application/json': z.looseObject({ openapi: z.literal('3.1.0') }) },
        },
      },
    },
  };
}
