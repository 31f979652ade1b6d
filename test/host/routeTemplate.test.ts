import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRouteTemplate, splitPath } from '../../dev/host/routeTemplate';

describe('parseRouteTemplate', () => {
  it('matches literal segments case-insensitively and captures parameters', () => {
    const route = parseRouteTemplate('jobs/{jobId}/devices');
    assert.deepEqual(route.match(['Jobs', 'job-1', 'DEVICES']), { jobId: 'job-1' });
    assert.equal(route.match(['jobs', 'job-1']), undefined);
    assert.equal(route.match(['jobs', 'job-1', 'devices', 'extra']), undefined);
  });

  it('decodes percent-encoded parameter values', () => {
    const route = parseRouteTemplate('jobs/{jobId}');
    assert.deepEqual(route.match(['jobs', 'a%20b']), { jobId: 'a b' });
    assert.deepEqual(route.match(['jobs', '%E0%A4%A']), { jobId: '%E0%A4%A' });
  });

  it('lets a trailing optional parameter be absent', () => {
    const route = parseRouteTemplate('items/{id?}');
    assert.deepEqual(route.match(['items']), {});
    assert.deepEqual(route.match(['items', '7']), { id: '7' });
  });

  it('refuses an empty parameter value', () => {
    assert.equal(parseRouteTemplate('jobs/{jobId}').match(['jobs', '']), undefined);
  });

  it('applies int, bool, guid and alpha constraints', () => {
    assert.deepEqual(parseRouteTemplate('n/{n:int}').match(['n', '42']), { n: '42' });
    assert.equal(parseRouteTemplate('n/{n:int}').match(['n', 'x']), undefined);
    assert.equal(parseRouteTemplate('b/{b:bool}').match(['b', 'maybe']), undefined);
    const guid = '8c7e1f0a-1b2c-4d3e-9f00-0123456789ab';
    assert.deepEqual(parseRouteTemplate('g/{g:guid}').match(['g', guid]), { g: guid });
    assert.equal(parseRouteTemplate('a/{a:alpha}').match(['a', 'abc1']), undefined);
  });

  it('collects the rest of the path into a catch-all parameter', () => {
    const route = parseRouteTemplate('files/{*path}');
    assert.deepEqual(route.match(['files', 'a', 'b c']), { path: 'a/b c' });
    assert.deepEqual(route.match(['files']), { path: '' });
  });

  it('ranks literals before constrained parameters before plain ones', () => {
    const [literal, constrained, plain, optional] = [
      'jobs/search',
      'jobs/{id:int}',
      'jobs/{id}',
      'jobs/{id?}',
    ].map((template) => parseRouteTemplate(template).rank);
    assert.ok(literal && constrained && plain && optional);
    assert.ok((literal[1] ?? 0) < (constrained[1] ?? 0));
    assert.ok((constrained[1] ?? 0) < (plain[1] ?? 0));
    assert.ok((plain[1] ?? 0) < (optional[1] ?? 0));
  });

  it('rejects templates it cannot serve faithfully', () => {
    assert.throws(() => parseRouteTemplate('a/{id?}/b'), /only the last segment/);
    assert.throws(() => parseRouteTemplate('a/{id:regex(x)}'), /unsupported segment/);
    assert.throws(() => parseRouteTemplate('a/{id:datetime}'), /unsupported constraint/);
    assert.throws(() => parseRouteTemplate('a/x{id}'), /unsupported segment/);
  });
});

describe('splitPath', () => {
  it('ignores leading and trailing slashes', () => {
    assert.deepEqual(splitPath('/api/jobs/'), ['api', 'jobs']);
    assert.deepEqual(splitPath('/'), []);
  });
});
