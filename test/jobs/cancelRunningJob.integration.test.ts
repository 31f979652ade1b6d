import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/composition';
import { cancelJob, JobAlreadyEndedError } from '../../src/jobs/cancelJob';
import { createJob } from '../../src/jobs/createJob';
import { toJobResource } from '../../src/jobs/jobResourceSchema';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { parseJobCreateRequest } from '../../src/jobs/schemas';
import { driveUntil, startLiveStack, type LiveStack } from './support/liveStack';

describe('cancelling a running job against Azurite and the hub emulator', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    // 60 devices at 5 device operations a second: the job runs for about 12 s unless cancelled.
    stack = await startLiveStack({
      devices: 60,
      tier: 'S1',
      limits: { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 5 },
    });
    services = stack.services();
  });
  after(() => stack.close());

  it('answers ten parallel cancels with no concurrency error, and its statistics add up once imported', async () => {
    const spec = parseJobCreateRequest({
      type: 'scheduleDeviceMethod',
      queryCondition: '*',
      cloudToDeviceMethod: { methodName: 'reboot' },
      maxExecutionTimeInSeconds: 600,
    });
    const { job } = await createJob({ spec, mode: 'post' }, services.deps);
    await driveUntil(
      'the hub has reached some devices',
      () => Promise.resolve(),
      async () => (await services.hub.getJob(job.jobId)).statistics.succeededCount > 0,
    );
    const answers = await Promise.allSettled(
      Array.from({ length: 10 }, () => cancelJob(job.jobId, services.deps)),
    );
    // In flight when another cancel stored the job: the cancelled job. Arrived after it (the job
    // had ended when it was read): 409 naming `cancelled`, as any later cancel. Never a retry.
    for (const answer of answers) {
      if (answer.status === 'fulfilled') assert.equal(answer.value.status, 'cancelled');
      else
        assert.ok(
          answer.reason instanceof JobAlreadyEndedError && answer.reason.status === 'cancelled',
          String(answer.reason),
        );
    }
    assert.ok(answers.some((answer) => answer.status === 'fulfilled'));
    await driveUntil(
      'the results are imported',
      () => pollActiveJobs(services.deps, services.pollOptions),
      async () => (await services.deps.jobStore.get(job.jobId))?.resultsImport?.phase === 'done',
    );
    const stored = await services.deps.jobStore.get(job.jobId);
    assert.equal(stored?.status, 'cancelled');
    const { statistics, deviceResults } = toJobResource(stored);
    assert.equal(deviceResults?.complete, true);
    assert.equal(statistics.deviceCount, 60);
    assert.ok(statistics.cancelledCount > 0, JSON.stringify(statistics));
    const { succeededCount, failedCount, cancelledCount, runningCount, pendingCount } = statistics;
    assert.equal(succeededCount + failedCount + cancelledCount + runningCount + pendingCount, 60);
  });
});
