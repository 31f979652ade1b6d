import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpFunctionOptions } from '@azure/functions';
import { HttpRouter, type HttpFunction } from '../../dev/host/httpRouter';

const handler: HttpFunctionOptions['handler'] = () => ({ status: 200 });

function fn(name: string, options: Partial<HttpFunctionOptions> = {}): HttpFunction {
  return { name, options: { handler, ...options } };
}

describe('HttpRouter', () => {
  const router = new HttpRouter(
    [
      fn('getJob', { methods: ['GET'], route: 'jobs/{jobId}' }),
      fn('putJob', { methods: ['PUT'], route: 'jobs/{jobId}' }),
      fn('searchJobs', { methods: ['GET'], route: 'jobs/search' }),
      fn('listJobs', { methods: ['GET'], route: 'jobs' }),
      fn('ping'),
    ],
    'api',
  );

  it('finds the function for a method and path below the prefix, with its parameters', () => {
    const result = router.route('get', '/api/jobs/job-1');
    assert.equal(result.kind, 'found');
    assert.equal(result.kind === 'found' && result.fn.name, 'getJob');
    assert.deepEqual(result.kind === 'found' && result.params, { jobId: 'job-1' });
    const put = router.route('PUT', '/api/jobs/job-1');
    assert.equal(put.kind === 'found' && put.fn.name, 'putJob');
  });

  it('prefers a literal segment over a parameter, whatever the declaration order', () => {
    const result = router.route('GET', '/api/jobs/search');
    assert.equal(result.kind === 'found' && result.fn.name, 'searchJobs');
  });

  it('defaults the route to the function name and the methods to GET and POST', () => {
    assert.equal(router.route('POST', '/api/ping').kind, 'found');
    assert.equal(router.route('GET', '/api/Ping/').kind, 'found');
    assert.equal(router.route('DELETE', '/api/ping').kind, 'methodNotAllowed');
  });

  it('answers notFound outside the prefix or for unknown paths', () => {
    assert.equal(router.route('GET', '/jobs').kind, 'notFound');
    assert.equal(router.route('GET', '/api/nothing').kind, 'notFound');
    assert.equal(router.route('GET', '/api/jobs/a/b').kind, 'notFound');
  });

  it('answers methodNotAllowed with every method the path accepts', () => {
    const result = router.route('DELETE', '/api/jobs/job-1');
    assert.deepEqual(result, { kind: 'methodNotAllowed', allow: ['GET', 'PUT'] });
  });

  it('serves routes at the root when the prefix is empty', () => {
    const bare = new HttpRouter([fn('health', { route: 'health' })], '');
    assert.equal(bare.route('GET', '/health').kind, 'found');
  });
});
