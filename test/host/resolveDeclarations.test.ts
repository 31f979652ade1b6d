import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { output } from '@azure/functions';
import type { FunctionDeclaration } from '../../src/functions/functionDeclaration';
import { resolveDeclarations } from '../../dev/host/resolveDeclarations';

const handler = (): { status: number } => ({ status: 204 });

describe('resolveDeclarations', () => {
  it('keeps an options object without references as the very same object', () => {
    const declaration: FunctionDeclaration = {
      kind: 'http',
      name: 'getJob',
      options: { methods: ['GET'], route: 'jobs/{jobId}', handler },
    };
    const resolved = resolveDeclarations([declaration], {});
    assert.equal(resolved.http[0]?.options, declaration.options);
  });

  it('resolves %SETTING% in routes, schedules and queue names, keeping the handler', () => {
    const resolved = resolveDeclarations(
      [
        { kind: 'http', name: 'h', options: { route: '%PREFIX%/jobs', handler } },
        { kind: 'timer', name: 't', options: { schedule: '%POLL_SCHEDULE%', handler } },
        {
          kind: 'storageQueue',
          name: 'q',
          options: {
            queueName: '%JOB_REQUESTS_QUEUE%',
            connection: 'AzureWebJobsStorage',
            handler,
          },
        },
      ],
      { PREFIX: 'v2', POLL_SCHEDULE: '*/5 * * * * *', JOB_REQUESTS_QUEUE: 'job-requests' },
    );
    assert.equal(resolved.http[0]?.options.route, 'v2/jobs');
    assert.equal(resolved.timers[0]?.options.schedule, '*/5 * * * * *');
    assert.equal(resolved.queues[0]?.options.queueName, 'job-requests');
    assert.equal(resolved.queues[0]?.options.connection, 'AzureWebJobsStorage');
    assert.equal(resolved.timers[0]?.options.handler, handler);
  });

  it('refuses two functions with the same name', () => {
    const twice: FunctionDeclaration = { kind: 'http', name: 'a', options: { handler } };
    assert.throws(
      () => resolveDeclarations([twice, { ...twice, name: 'A' }], {}),
      /declared twice/,
    );
  });

  it('refuses output bindings, which the local host would silently drop', () => {
    const extraOutputs = [
      output.storageQueue({ queueName: 'x', connection: 'AzureWebJobsStorage' }),
    ];
    assert.throws(
      () =>
        resolveDeclarations(
          [{ kind: 'http', name: 'out', options: { handler, extraOutputs } }],
          {},
        ),
      /Function out uses input or output bindings/,
    );
  });
});
