import type { z } from 'zod';
import type { ApiResponse, HttpApi } from './httpApi';
import { componentRef, parameterSchema, type JsonSchema } from './openapiComponents';

/** What the document needs of an HTTP function declaration (src/functions). */
export interface DocumentedRoute {
  name: string;
  options: { route: string; methods: readonly string[]; authLevel?: string };
  api: HttpApi;
}

type PathItem = Record<string, JsonSchema>;

/** `paths`, one operation per method of each declared route: what is served is what is documented. */
export function buildPaths(routes: readonly DocumentedRoute[]): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  for (const route of routes) {
    const path = openApiPath(route.options.route);
    const item = (paths[path] ??= {});
    for (const method of route.options.methods) {
      const verb = method.toLowerCase();
      if (item[verb] !== undefined) throw new Error(`${method} ${path} is declared twice`);
      item[verb] = operation(route);
    }
  }
  return paths;
}

/** Function routes use the same `{name}` syntax; the constrained and optional forms are not used. */
export function openApiPath(route: string): string {
  if (/[?:*]/.test(route)) throw new Error(`route '${route}' cannot be documented as is`);
  return `/${route.replace(/^\/+/, '')}`;
}

export function routeParameterNames(route: string): string[] {
  return [...route.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

function operation({ name, options, api }: DocumentedRoute): JsonSchema {
  const parameters = [
    ...pathParameters(name, options.route, api),
    ...queryParameters(api.query),
    ...(api.idempotencyKey === true ? [{ $ref: '#/components/parameters/idempotencyKey' }] : []),
  ];
  return {
    operationId: name,
    summary: api.summary,
    ...(api.description === undefined ? {} : { description: api.description }),
    ...(options.authLevel === 'anonymous' ? { security: [] } : {}),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(api.requestBody === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: componentRef(api.requestBody, 'input') } },
          },
        }),
    responses: Object.fromEntries(
      Object.entries(api.responses).map(([status, answer]) => [status, response(answer)]),
    ),
  };
}

function pathParameters(name: string, route: string, api: HttpApi): JsonSchema[] {
  return routeParameterNames(route).map((parameter) => {
    const schema = api.pathParameters?.[parameter];
    if (schema === undefined)
      throw new Error(`${name}: no schema for route parameter ${parameter}`);
    return { name: parameter, in: 'path', required: true, schema: parameterSchema(schema) };
  });
}

function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  return Object.entries(query?.shape ?? {}).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: parameterSchema(field as z.ZodType),
  }));
}

function response(answer: ApiResponse): JsonSchema {
  const headers = Object.entries(answer.headers ?? {}).map(([name, { description }]) => [
    name,
    { description, schema: { type: 'string' } },
  ]);
  return {
    description: answer.description,
    ...(headers.length === 0 ? {} : { headers: Object.fromEntries(headers) }),
    ...(answer.content === undefined
      ? {}
      : {
          content: Object.fromEntries(
            Object.entries(answer.content).map(([mediaType, schema]) => [
              mediaType,
              { schema: componentRef(schema, 'output') },
            ]),
          ),
        }),
  };
}
