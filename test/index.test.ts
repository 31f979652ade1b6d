import { before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { app } from '@azure/functions';
import type { FunctionDeclaration } from '../src/functions/functionDeclaration';
import { HttpRouter } from '../dev/host/httpRouter';
import { resolveDeclarations } from '../dev/host/resolveDeclarations';

type Kind = FunctionDeclaration['kind'];
type Registration = { kind: Kind; name: string; options: unknown };

/** Every function the app must register, and how. */
const expectedHttp = [
  { name: 'createJob', method: 'POST', path: 'jobs', authLevel: 'function' },
  { name: 'putJob', method: 'PUT', path: 'jobs/job-1', authLevel: 'function' },
  { name: 'getJob', method: 'GET', path: 'jobs/job-1', authLevel: 'function' },
  { name: 'listJobs', method: 'GET', path: 'jobs', authLevel: 'function' },
  { name: 'cancelJob', method: 'POST', path: 'jobs/job-1/cancel', authLevel: 'function' },
  { name: 'listDeviceResults', method: 'GET', path: 'jobs/job-1/devices', authLevel: 'function' },
  { name: 'health', method: 'GET', path: 'health', authLevel: 'anonymous' },
  { name: 'openapi', method: 'GET', path: 'openapi.json', authLevel: 'anonymous' },
] as const;
const publicRoutes = new Set(['health', 'openapi']);
const settings = {
  POLL_SCHEDULE: '*/5 * * * * *',
  WINDOW_SCHEDULE: '0 * * * * *',
  JOB_REQUESTS_QUEUE: 'job-requests',
};

describe('src/index.ts', () => {
  const registrations: Registration[] = [];
  let declarations: readonly FunctionDeclaration[] = [];

  before(async () => {
    // Spies go in before the import: registration happens at module load (the v4 library registers on import).
    for (const kind of ['http', 'timer', 'storageQueue'] as const) {
      mock.method(app, kind, (name: string, options: unknown) => {
        registrations.push({ kind, name, options });
      });
    }
    await import('../src/index.js');
    ({ functionDeclarations: declarations } = await import('../src/functions/declarations.js'));
  });

  it('registers every declaration once, with its very options object', () => {
    assert.equal(registrations.length, declarations.length);
    for (const declaration of declarations) {
      const registered = registrations.filter((r) => r.name === declaration.name);
      assert.equal(registered.length, 1, `${declaration.name} registered once`);
      assert.equal(registered[0]?.kind, declaration.kind);
      assert.equal(registered[0]?.options, declaration.options, `${declaration.name}: same object`);
    }
  });

  it('gives the local host the same options: same handlers, references resolved only', () => {
    const served = resolveDeclarations(declarations, settings);
    const all = [...served.http, ...served.timers, ...served.queues];
    assert.equal(all.length, registrations.length);
    for (const { name, options } of all) {
      const registered = registrations.find((r) => r.name === name)?.options as typeof options;
      assert.equal(options.handler, registered.handler, `${name}: same handler`);
      const unresolved = { ...options, ...pickReferences(registered) };
      assert.deepEqual(unresolved, registered, `${name}: options differ only where resolved`);
    }
  });

  it('registers the jobs API, with function keys on every route but health and openapi', () => {
    const router = new HttpRouter(resolveDeclarations(declarations, settings).http, 'api');
    for (const expected of expectedHttp) {
      const found = router.route(expected.method, `/api/${expected.path}`);
      assert.equal(found.kind, 'found', `${expected.method} /api/${expected.path}`);
      if (found.kind !== 'found') continue;
      assert.equal(found.fn.name, expected.name);
      assert.equal(found.fn.options.authLevel, expected.authLevel, `${expected.name} authLevel`);
    }
    for (const registration of registrations.filter((r) => r.kind === 'http')) {
      const { authLevel } = registration.options as { authLevel?: string };
      const wanted = publicRoutes.has(registration.name) ? 'anonymous' : 'function';
      assert.equal(authLevel, wanted, `${registration.name} authLevel`);
    }
  });

  it('registers the poller on %POLL_SCHEDULE% and the queue function on %JOB_REQUESTS_QUEUE%', () => {
    const timer = registrations.find((r) => r.name === 'pollJobs');
    assert.equal(timer?.kind, 'timer');
    assert.equal((timer?.options as { schedule: string }).schedule, '%POLL_SCHEDULE%');
    const queue = registrations.find((r) => r.name === 'processJobRequests');
    assert.equal(queue?.kind, 'storageQueue');
    assert.deepEqual(pick(queue?.options as Record<string, unknown>, ['queueName', 'connection']), {
      queueName: '%JOB_REQUESTS_QUEUE%',
      connection: 'AzureWebJobsStorage',
    });
  });
});

/** The options that may hold `%SETTING%` references, as registered. */
function pickReferences(options: object): Record<string, unknown> {
  return pick(options as Record<string, unknown>, ['route', 'schedule', 'queueName']);
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in record).map((key) => [key, record[key]]));
}
