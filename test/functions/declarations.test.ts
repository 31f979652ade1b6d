import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionDeclarations } from '../../src/functions/declarations';

const byName = new Map(functionDeclarations.map((d) => [d.name, d]));

describe('functionDeclarations', () => {
  it('declares every function once, by a unique name', () => {
    assert.equal(byName.size, functionDeclarations.length);
    assert.deepEqual([...byName.keys()].sort(), [
      'cancelJob',
      'cancelRollout',
      'createJob',
      'createRollout',
      'deleteSchedule',
      'getJob',
      'getRollout',
      'getSchedule',
      'health',
      'listDeviceResults',
      'listJobs',
      'listRolloutDevices',
      'listRollouts',
      'listSchedules',
      'openWindows',
      'openapi',
      'pauseRollout',
      'pollJobs',
      'processJobRequests',
      'putJob',
      'putRollout',
      'putSchedule',
      'rerunRollout',
      'resumeRollout',
    ]);
  });

  it('serves the jobs, rollouts and schedules routes with function keys, health and openapi anonymously', () => {
    const routes = functionDeclarations.flatMap((d) =>
      d.kind === 'http'
        ? [`${d.options.methods?.join(',')} ${d.options.route} ${d.options.authLevel}`]
        : [],
    );
    assert.deepEqual(
      routes.sort(),
      [
        'GET health anonymous',
        'GET jobs function',
        'GET jobs/{jobId} function',
        'GET jobs/{jobId}/devices function',
        'GET openapi.json anonymous',
        'POST jobs function',
        'POST jobs/{jobId}/cancel function',
        'PUT jobs/{jobId} function',
        'GET rollouts function',
        'GET rollouts/{rolloutId} function',
        'GET rollouts/{rolloutId}/devices function',
        'POST rollouts function',
        'POST rollouts/{rolloutId}/cancel function',
        'POST rollouts/{rolloutId}/pause function',
        'POST rollouts/{rolloutId}/rerun function',
        'POST rollouts/{rolloutId}/resume function',
        'PUT rollouts/{rolloutId} function',
        'PUT schedules/{scheduleId} function',
        'GET schedules function',
        'GET schedules/{scheduleId} function',
        'DELETE schedules/{scheduleId} function',
      ].sort(),
    );
  });

  it('polls on %POLL_SCHEDULE% and takes work from %JOB_REQUESTS_QUEUE% on AzureWebJobsStorage', () => {
    const poll = byName.get('pollJobs');
    const queue = byName.get('processJobRequests');
    assert.equal(poll?.kind === 'timer' && poll.options.schedule, '%POLL_SCHEDULE%');
    assert.ok(queue?.kind === 'storageQueue');
    assert.equal(queue.options.queueName, '%JOB_REQUESTS_QUEUE%');
    assert.equal(queue.options.connection, 'AzureWebJobsStorage');
  });

  it('opens maintenance windows on %WINDOW_SCHEDULE%', () => {
    const windows = byName.get('openWindows');
    assert.equal(windows?.kind === 'timer' && windows.options.schedule, '%WINDOW_SCHEDULE%');
  });
});
