import type { IncomingHttpHeaders } from 'node:http';
import { hubErrors } from '../hubError';
import type { HubModelPort } from './modelPort';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type HubRouteHandler = (
  model: HubModelPort,
  request: RouteRequest,
) => RouteResponse | Promise<RouteResponse>;

export const ok = (body: unknown, headers?: Record<string, string>): RouteResponse => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});

export function id(params: Record<string, string>): string {
  const value = params['id'];
  if (value === undefined) throw hubErrors.genericBadRequest('Missing id in the path.');
  return value;
}

/** `If-Match: "etag"` or `"*"` → the bare etag; the SDK always quotes it. */
export function ifMatch(headers: IncomingHttpHeaders): string | undefined {
  const value = headerValue(headers, 'if-match')?.trim();
  if (!value) return undefined;
  return value.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function optionalInteger(
  value: string | null | undefined,
  name: string,
): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw hubErrors.argumentInvalid(`${name} must be a positive integer.`);
  }
  return parsed;
}

export function optionalField<K extends string>(name: K, value: string | null) {
  return (value ? { [name]: value } : {}) as Partial<Record<K, string>>;
}
