import type { HttpResponseInit } from '@azure/functions';
import { buildOpenApiDocument } from '../http/openapi';
import type { FunctionDeclaration } from './functionDeclaration';

let document: unknown;

/** GET /openapi.json (anonymous): built from the zod schemas once per process. */
export function openApiHandler(): Promise<HttpResponseInit> {
  document ??= buildOpenApiDocument();
  return Promise.resolve({ status: 200, jsonBody: document });
}

export const openApiFunction: FunctionDeclaration = {
  kind: 'http',
  name: 'openapi',
  options: {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'openapi.json',
    handler: openApiHandler,
  },
};
