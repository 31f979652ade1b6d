import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeviceJobsQuery } from '../../src/hub/deviceJobsQuery';

describe('buildDeviceJobsQuery', () => {
  it('selects every device record of the job', () => {
    assert.equal(
      buildDeviceJobsQuery('job-1', {}),
      "SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'job-1'",
    );
  });

  it('adds the failed filter for failedOnly and its negation for excludeFailed', () => {
    assert.match(
      buildDeviceJobsQuery('j', { failedOnly: true }),
      / AND devices\.jobs\.status = 'failed'$/,
    );
    assert.match(
      buildDeviceJobsQuery('j', { excludeFailed: true }),
      / AND devices\.jobs\.status != 'failed'$/,
    );
  });

  it('refuses a job id outside the hub rule, so nothing else can reach the query', () => {
    for (const jobId of ["x' OR 1=1 --", '', 'a'.repeat(65), 'job/1']) {
      assert.throws(() => buildDeviceJobsQuery(jobId, {}), { kind: 'badRequest' }, jobId);
    }
  });

  it('refuses failedOnly together with excludeFailed', () => {
    assert.throws(() => buildDeviceJobsQuery('j', { failedOnly: true, excludeFailed: true }), {
      kind: 'badRequest',
    });
  });
});
