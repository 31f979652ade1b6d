import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../../../dev/hub-emulator/hubError';
import { methodJob, openModel, twinJob, waitForStatus } from './helpers';

function hubError(action: () => unknown): HubError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof HubError, `expected a HubError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to throw');
}

describe('JobEngine.create validation', () => {
  const invalid: [string, string, Record<string, unknown>, number][] = [
    ['a job id with a space', 'job 1', methodJob(), 400000],
    ['a job id longer than 64 characters', 'j'.repeat(65), methodJob(), 400000],
    ['a body jobId different from the path', 'job-1', methodJob({ jobId: 'job-2' }), 400000],
    ['an unknown type', 'job-1', methodJob({ type: 'scheduleTwinUpdate' }), 400000],
    ['a missing queryCondition', 'job-1', methodJob({ queryCondition: undefined }), 400000],
    [
      'a queryCondition with bad syntax',
      'job-1',
      methodJob({ queryCondition: 'tags.a = ' }),
      400000,
    ],
    [
      'unsupported query syntax',
      'job-1',
      methodJob({ queryCondition: "deviceId = 'a' GROUP BY x" }),
      400000,
    ],
    [
      'a missing cloudToDeviceMethod',
      'job-1',
      methodJob({ cloudToDeviceMethod: undefined }),
      400000,
    ],
    ['a missing methodName', 'job-1', methodJob({ cloudToDeviceMethod: { payload: 1 } }), 400000],
    [
      'a response timeout under 5 s',
      'job-1',
      methodJob({ cloudToDeviceMethod: { methodName: 'm', responseTimeoutInSeconds: 4 } }),
      400000,
    ],
    [
      'a connect timeout over 300 s',
      'job-1',
      methodJob({ cloudToDeviceMethod: { methodName: 'm', connectTimeoutInSeconds: 301 } }),
      400000,
    ],
    [
      'a payload over 128 KB',
      'job-1',
      methodJob({ cloudToDeviceMethod: { methodName: 'm', payload: 'x'.repeat(131_072) } }),
      413001,
    ],
    ['a twin job without updateTwin', 'job-1', twinJob({ updateTwin: undefined }), 400000],
    [
      'a twin key with a dot',
      'job-1',
      twinJob({ updateTwin: { etag: '*', tags: { 'a.b': 1 } } }),
      400004,
    ],
    ['an invalid startTime', 'job-1', methodJob({ startTime: 'tomorrow' }), 400000],
    [
      'a zero maxExecutionTimeInSeconds',
      'job-1',
      methodJob({ maxExecutionTimeInSeconds: 0 }),
      400000,
    ],
    ['a body that is not an object', 'job-1', 'text' as unknown as Record<string, unknown>, 400000],
  ];
  for (const [what, jobId, body, code] of invalid) {
    it(`refuses ${what} with ${code} and stores nothing`, () => {
      const model = openModel();
      assert.equal(hubError(() => model.jobs.create(jobId, body)).code, code);
      assert.deepEqual(model.jobs.query({}, {}).items, []);
      model.close();
    });
  }

  it('accepts the SDK forms: startTime null, no maxExecutionTimeInSeconds, numeric body jobId', () => {
    const model = openModel();
    assert.equal(model.jobs.create('42', methodJob({ jobId: 42 })).status, 'queued');
    const job = model.jobs.create('job-1b', {
      jobId: 'job-1b',
      type: 'scheduleDeviceMethod',
      cloudToDeviceMethod: { methodName: 'noargs', payload: null, responseTimeoutInSeconds: 30 },
      startTime: null,
      queryCondition: "deviceId = 'dev1'",
    });
    assert.equal(job.maxExecutionTimeInSeconds, 3600);
    model.close();
  });
});

describe('JobEngine.create limits', () => {
  it('answers 409104 for a known job id, also once the job has finished', async () => {
    const model = openModel();
    model.jobs.create('dup', methodJob());
    assert.equal(hubError(() => model.jobs.create('dup', methodJob())).code, 409104);
    await waitForStatus(model, 'dup', 'completed');
    assert.equal(hubError(() => model.jobs.create('dup', methodJob())).code, 409104);
    model.close();
  });

  it('answers 429004 when the active jobs reach maxActiveJobs, and accepts again once one ends', async () => {
    const model = openModel({ limits: { maxActiveJobs: 2 } });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    model.jobs.create('a', methodJob({ startTime: later }));
    model.jobs.create('b', methodJob({ startTime: later }));
    const error = hubError(() => model.jobs.create('c', methodJob()));
    assert.equal(error.code, 429004);
    assert.equal(error.status, 429);
    assert.equal(error.codeName, 'ThrottlingMaxActiveJobCountExceeded');
    model.jobs.cancel('a');
    assert.equal(model.jobs.create('c', methodJob()).status, 'queued');
    await waitForStatus(model, 'c', 'completed');
    assert.equal(model.jobs.create('d', methodJob()).status, 'queued');
    model.close();
  });

  it('uses the tier limit when none is given (S1: one active job)', () => {
    const model = openModel({ tier: 'S1', limits: { maxActiveJobs: undefined } });
    model.jobs.create('one', methodJob({ startTime: new Date(Date.now() + 60_000).toISOString() }));
    assert.equal(hubError(() => model.jobs.create('two', methodJob())).code, 429004);
    model.close();
  });
});
