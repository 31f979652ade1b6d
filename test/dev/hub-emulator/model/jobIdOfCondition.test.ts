import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobIdOfCondition } from '../../../../dev/hub-emulator/model/jobIdOfCondition';
import { parseQuery } from '../../../../dev/hub-emulator/query/index';

function jobIdOf(where: string): string | undefined {
  return jobIdOfCondition(parseQuery(`SELECT * FROM devices.jobs WHERE ${where}`).where);
}

describe('jobIdOfCondition', () => {
  it('finds the job id of an equality, alone or inside AND', () => {
    assert.equal(jobIdOf("devices.jobs.jobId = 'a'"), 'a');
    assert.equal(jobIdOf("devices.jobs.status = 'failed' AND devices.jobs.jobId = 'b'"), 'b');
    assert.equal(jobIdOf("'c' = devices.jobs.JobId"), 'c');
  });

  it('finds none when the condition could match other jobs', () => {
    assert.equal(jobIdOf("devices.jobs.jobId = 'a' OR devices.jobs.status = 'failed'"), undefined);
    assert.equal(jobIdOf("NOT (devices.jobs.jobId = 'a')"), undefined);
    assert.equal(jobIdOf("devices.jobs.jobId != 'a'"), undefined);
    assert.equal(jobIdOf('devices.jobs.jobId = 5'), undefined);
    assert.equal(jobIdOfCondition(undefined), undefined);
  });
});
