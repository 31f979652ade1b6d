import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRoute } from '../../../../dev/hub-emulator/http/routes';

describe('matchRoute', () => {
  const cases: Array<[string, string, string, Record<string, string>]> = [
    ['PUT', '/devices/dev-1', 'devices.create', { id: 'dev-1' }],
    ['GET', '/devices', 'devices.list', {}],
    ['POST', '/devices/query', 'devices.query', {}],
    ['POST', '/devices', 'devices.bulk', {}],
    ['GET', '/devices/gw/modules', 'modules.list', { id: 'gw' }],
    ['PUT', '/devices/gw/modules/m%201', 'modules.put', { id: 'gw', mid: 'm 1' }],
    ['DELETE', '/devices/gw/modules/m1', 'modules.delete', { id: 'gw', mid: 'm1' }],
    ['PATCH', '/twins/gw/modules/m1', 'moduleTwins.patch', { id: 'gw', mid: 'm1' }],
    ['GET', '/configurations', 'configurations.list', {}],
    ['PUT', '/configurations/fw-1', 'configurations.put', { id: 'fw-1' }],
    ['GET', '/twins/dev%201', 'twins.get', { id: 'dev 1' }],
    ['PATCH', '/twins/dev1', 'twins.patch', { id: 'dev1' }],
    ['POST', '/twins/dev1/methods', 'methods.invoke', { id: 'dev1' }],
    ['PUT', '/jobs/v2/job%202%2F%C3%A4', 'jobs.create', { id: 'job 2/ä' }],
    ['GET', '/jobs/v2/job-1', 'jobs.get', { id: 'job-1' }],
    ['POST', '/jobs/v2/job-1/cancel', 'jobs.cancel', { id: 'job-1' }],
    [
      'POST',
      '/admin/devices/device-00001/offline',
      'admin.devices.offline',
      { id: 'device-00001' },
    ],
  ];
  for (const [method, path, name, params] of cases) {
    it(`maps ${method} ${path} to ${name}`, () => {
      assert.deepEqual(matchRoute(method, path), { kind: 'route', name, params });
    });
  }

  it('lets GET /jobs/v2/query win over GET /jobs/v2/{id}', () => {
    assert.deepEqual(matchRoute('GET', '/jobs/v2/query'), {
      kind: 'route',
      name: 'jobs.query',
      params: {},
    });
  });

  it('tells an unknown path from a known path with the wrong method', () => {
    assert.deepEqual(matchRoute('GET', '/nothing/here'), { kind: 'notFound' });
    assert.deepEqual(matchRoute('DELETE', '/jobs/v2/job-1'), { kind: 'methodNotAllowed' });
  });

  it('refuses a path segment that is not valid percent-encoding', () => {
    assert.deepEqual(matchRoute('GET', '/twins/%E0%A4%A'), { kind: 'notFound' });
  });
});
