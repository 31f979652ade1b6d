import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setImmediate } from 'node:timers/promises';
import { HttpResponse, type HttpHandler, type HttpResponseInit } from '@azure/functions';
import type { FunctionDeclaration } from '../../src/functions/functionDeclaration';
import { parseHostJson } from '../../dev/host/hostJson';
import { startLocalHost, type LocalHost } from '../../dev/host/startLocalHost';
import { functionDeclarations as sampleDeclarations } from './fixtures/sampleDeclarations';

const hostJson = parseHostJson({ version: '2.0' });

function http(
  name: string,
  route: string,
  handler: HttpHandler,
  methods = ['GET'],
): FunctionDeclaration {
  return {
    kind: 'http',
    name,
    options: { methods: methods as never, authLevel: 'function', route, handler },
  };
}

async function* chunks(): AsyncIterable<Uint8Array> {
  yield Buffer.from('id,status\n');
  await setImmediate();
  yield Buffer.from('d1,completed\n');
}

const declarations: FunctionDeclaration[] = [
  ...sampleDeclarations.filter((d) => d.kind === 'http'),
  http('text', 'text', () => ({
    status: 202,
    body: 'plain',
    headers: { 'content-type': 'text/plain' },
  })),
  http('bytes', 'bytes', () => ({ body: Buffer.from([1, 2, 3]) })),
  http('csv', 'csv', () => ({ body: chunks(), headers: { 'content-type': 'text/csv' } })),
  http(
    'response',
    'response',
    () => new HttpResponse({ status: 200, jsonBody: { made: 'by class' } }),
  ),
  http('cookie', 'cookie', () => ({
    cookies: [{ name: 'a', value: 'b', httpOnly: true, path: '/' }],
  })),
  // Not allowed by the types, but handlers written in JavaScript do it.
  http('nothing', 'nothing', () => undefined as unknown as HttpResponseInit),
  http('broken', 'broken', () => {
    throw new Error('handler bug');
  }),
  http('secretive', 'secretive', (_request, context) => {
    context.log('using HostName=h;SharedAccessKeyName=o;SharedAccessKey=c2VjcmV0 now');
    return { status: 204 };
  }),
  http('fromSetting', '%CUSTOM_ROUTE%', () => ({ body: 'resolved' })),
];

describe('the local host serving HTTP functions', () => {
  const lines: string[] = [];
  let host: LocalHost;
  const url = (path: string): string => `${host.baseUrl}/${path}`;

  before(async () => {
    host = await startLocalHost({
      declarations,
      settings: { HOST_PORT: '0', CUSTOM_ROUTE: 'custom/route', TICK_SCHEDULE: 'unused' },
      hostJson,
      writeLine: (line) => lines.push(line),
    });
  });
  after(() => host.close());

  it('passes method, route params, query, headers and body to the handler', async () => {
    const response = await fetch(url('echo/abc/tail?x=1&y=two'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('location'), url('echo/abc/tail?x=1&y=two'));
    assert.deepEqual(await response.json(), {
      method: 'POST',
      params: { id: 'abc', rest: 'tail' },
      query: { x: '1', y: 'two' },
      contentType: 'text/plain',
      body: 'hello',
    });
  });

  it('writes context logs as [functionName] lines', async () => {
    const response = await fetch(url('echo/line-test'), { method: 'PUT', body: '' });
    assert.equal(response.status, 201);
    assert.ok(lines.includes('[echo] echo line-test'), lines.join('\n'));
  });

  it('returns string, Buffer and streamed bodies faithfully', async () => {
    const text = await fetch(url('text'));
    assert.equal(text.status, 202);
    assert.equal(text.headers.get('content-type'), 'text/plain');
    assert.equal(await text.text(), 'plain');
    const bytes = await fetch(url('bytes'));
    assert.deepEqual(Buffer.from(await bytes.arrayBuffer()), Buffer.from([1, 2, 3]));
    const csv = await fetch(url('csv'));
    assert.equal(csv.headers.get('transfer-encoding'), 'chunked');
    assert.equal(await csv.text(), 'id,status\nd1,completed\n');
  });

  it('accepts an HttpResponse instance and cookies', async () => {
    const response = await fetch(url('response'));
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), { made: 'by class' });
    const cookie = await fetch(url('cookie'));
    assert.equal(cookie.headers.get('set-cookie'), 'a=b; Path=/; HttpOnly');
  });

  it('answers 204 when a handler returns nothing', async () => {
    assert.equal((await fetch(url('nothing'))).status, 204);
  });

  it('answers an empty 500 when a handler throws, and logs the failure', async () => {
    const response = await fetch(url('broken'));
    assert.equal(response.status, 500);
    assert.equal(await response.text(), '');
    assert.ok(lines.some((line) => line.startsWith('[broken] ERROR: Executed (Failed')));
    assert.ok(lines.some((line) => line.includes('handler bug')));
  });

  it('redacts keys in log lines', async () => {
    await fetch(url('secretive'));
    const line = lines.find((l) => l.startsWith('[secretive] using'));
    assert.ok(line);
    assert.ok(!line.includes('c2VjcmV0'), line);
    assert.match(line, /using \[redacted connection string\] now/);
  });

  it('resolves %SETTING% references in routes', async () => {
    assert.equal(await (await fetch(url('custom/route'))).text(), 'resolved');
  });

  it('answers 404 problem+json for an unknown route', async () => {
    const response = await fetch(url('no/such/route'));
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await response.json()) as Record<string, unknown>;
    assert.equal(problem.status, 404);
    assert.equal(problem.code, 'ROUTE_NOT_FOUND');
    assert.equal(problem.type, 'urn:hubjobs:problem:route-not-found');
    assert.match(String(problem.detail), /GET \/api\/no\/such\/route/);
    assert.equal((await fetch(`http://127.0.0.1:${host.port}/health`)).status, 404);
  });

  it('answers 405 problem+json with Allow for a wrong method', async () => {
    const response = await fetch(url('echo/abc'));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST, PUT');
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await response.json()) as Record<string, unknown>;
    assert.equal(problem.code, 'METHOD_NOT_ALLOWED');
    assert.equal(problem.type, 'urn:hubjobs:problem:method-not-allowed');
  });

  it('answers 413 problem+json coded PAYLOAD_TOO_LARGE for a body over 100 MB', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const outgoing = httpRequest(url('echo/big'), {
          method: 'POST',
          headers: { 'content-length': String(101 * 1024 * 1024) },
        });
        outgoing.on('response', (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        });
        // The host answers before the body arrives and closes the connection.
        outgoing.on('error', reject);
        outgoing.write('x');
      },
    );
    assert.equal(status, 413);
    const problem = JSON.parse(body) as Record<string, unknown>;
    assert.equal(problem.code, 'PAYLOAD_TOO_LARGE');
  });

  it('does not check function keys unless asked', async () => {
    assert.equal((await fetch(url('slow'))).status, 200);
  });
});

describe('the local host with HOST_CHECK_FUNCTION_KEYS=true', () => {
  let host: LocalHost;
  const url = (path: string): string => `${host.baseUrl}/${path}`;

  before(async () => {
    host = await startLocalHost({
      declarations: sampleDeclarations.filter((d) => d.kind === 'http'),
      settings: { HOST_PORT: '0', HOST_CHECK_FUNCTION_KEYS: 'true', HOST_FUNCTION_KEY: 'k-123' },
      hostJson,
      writeLine: () => undefined,
    });
  });
  after(() => host.close());

  it('refuses a function-level route without the key', async () => {
    const response = await fetch(url('slow'));
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(((await response.json()) as { code?: string }).code, 'UNAUTHORIZED');
    assert.equal(
      (await fetch(url('slow'), { headers: { 'x-functions-key': 'wrong' } })).status,
      401,
    );
  });

  it('accepts the key in x-functions-key or in the code query parameter', async () => {
    assert.equal(
      (await fetch(url('slow'), { headers: { 'x-functions-key': 'k-123' } })).status,
      200,
    );
    assert.equal((await fetch(url('slow?code=k-123'))).status, 200);
  });

  it('keeps anonymous routes open', async () => {
    assert.equal((await fetch(url('health'))).status, 200);
  });
});
