import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetedHubJobGateway } from '../../src/hub/BudgetedHubJobGateway';
import { cancelJob, JobAlreadyEndedError, requestCancel } from '../../src/jobs/cancelJob';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { createJob } from '../../src/jobs/createJob';
import { JobNotFoundError } from '../../src/jobs/jobErrors';
import { submitJob } from '../../src/jobs/submitJob';
import { FakeHubBudget } from '../support/fakeHubBudget';
import { methodJobSpec, useCaseFixture } from './support/useCaseFixture';

const pollOptions = {
  queriesPerMinute: 20,
  importQueryShare: 0.5,
  pollIntervalSeconds: 30,
  stalledAfterSeconds: 600,
};

describe('cancelJob', () => {
  it('cancels a job before submission without calling the hub', async () => {
    const { deps, hub, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 3600 * 1000).toISOString();
    const { job } = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    const cancelled = await cancelJob(job.jobId, deps);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancelRequested, true);
    assert.equal(cancelled.resultsImport?.phase, 'done');
    assert.equal(hub.calls.length, 0);
  });

  it('keeps a job cancelled before submission off the hub when its message arrives', async () => {
    const { deps, hub, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 3600 * 1000).toISOString();
    const { job } = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    await cancelJob(job.jobId, deps);
    clock.advanceSeconds(3600);
    await submitJob(job.jobId, deps);
    assert.equal(hub.callCount('createJob'), 0);
  });

  it('cancels a submitted job at the hub and stores what the hub answered', async () => {
    const { deps, hub } = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    hub.setStatus(job.jobId, 'running', { deviceCount: 2, runningCount: 2 });
    const cancelled = await cancelJob(job.jobId, deps);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.statistics.deviceCount, 2);
    assert.equal(cancelled.resultsImport?.phase, 'failed');
    assert.equal(hub.jobs.get(job.jobId)?.snapshot.status, 'cancelled');
  });

  it('cancels at the hub a job submitted while the cancel was deciding', async () => {
    const { deps, hub, jobStore } = useCaseFixture();
    hub.failNext('createJob', 'transient');
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    jobStore.raceNextUpdate(job.jobId, (current) => ({ ...current, status: 'queued' }));
    hub.jobs.clear();
    await hub.createJob(job.jobId, job.spec);
    const cancelled = await cancelJob(job.jobId, deps);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(hub.jobs.get(job.jobId)?.snapshot.status, 'cancelled');
  });

  it('refuses to cancel a job that has ended, naming its status', async () => {
    const { deps, hub } = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    await cancelJob(job.jobId, deps);
    await assert.rejects(cancelJob(job.jobId, deps), (error: unknown) => {
      assert.ok(error instanceof JobAlreadyEndedError);
      assert.equal(error.status, 'cancelled');
      assert.equal(error.code, 'CONFLICT');
      return true;
    });
    assert.equal(hub.callCount('cancelJob'), 1);
  });

  it('records the true end when the job finished at the hub before the cancel', async () => {
    const { deps, hub, jobStore } = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    hub.setStatus(job.jobId, 'completed', { deviceCount: 2, succeededCount: 2 });
    hub.failNext('cancelJob', 'preconditionFailed');
    await assert.rejects(cancelJob(job.jobId, deps), JobAlreadyEndedError);
    assert.equal((await jobStore.get(job.jobId))?.status, 'completed');
  });

  it('answers every one of ten parallel cancels of a running job with the cancelled job', async () => {
    const { deps, hub } = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    hub.setStatus(job.jobId, 'running', { deviceCount: 2, runningCount: 2 });
    const answers = await Promise.allSettled(
      Array.from({ length: 10 }, () => cancelJob(job.jobId, deps)),
    );
    const refused = answers.filter((answer) => answer.status === 'rejected');
    assert.deepEqual(refused, []);
    for (const answer of answers) {
      assert.equal(answer.status === 'fulfilled' && answer.value.status, 'cancelled');
      assert.equal(answer.status === 'fulfilled' && answer.value.cancelRequested, true);
    }
  });

  it('answers 404 for an unknown job', async () => {
    const { deps } = useCaseFixture();
    await assert.rejects(cancelJob('missing', deps), JobNotFoundError);
  });

  it('records a cancel that finds no budget, sends nothing, and the next poll carries it out', async () => {
    const fixture = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    fixture.hub.setStatus(job.jobId, 'running', { deviceCount: 2, runningCount: 2 });
    const budget = new FakeHubBudget({ jobsOperations: 0 });
    const deps = { ...fixture.deps, hub: new BudgetedHubJobGateway(fixture.hub, budget, {}) };
    const { job: recorded, outcome } = await requestCancel(job.jobId, deps);
    assert.equal(outcome, 'recorded');
    assert.equal(recorded.cancelRequested, true);
    assert.equal(recorded.status, 'queued');
    assert.match(recorded.statusMessage ?? '', /Cancel recorded.*next poll/);
    assert.equal(fixture.hub.callCount('cancelJob'), 0);
    assert.equal(fixture.hub.jobs.get(job.jobId)?.snapshot.status, 'running');

    budget.allowance.jobsOperations = Infinity;
    const report = await pollActiveJobs(deps, pollOptions);
    assert.equal(report.hubCancels, 1);
    assert.equal(fixture.hub.callCount('cancelJob'), 1);
    assert.equal(fixture.hub.jobs.get(job.jobId)?.snapshot.status, 'cancelled');
    const stored = await fixture.jobStore.get(job.jobId);
    assert.equal(stored?.status, 'cancelled');
    assert.equal(stored?.statistics.deviceCount, 2);
  });

  it('answers a cancel repeated while it is recorded with the recorded job', async () => {
    const fixture = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    const budget = new FakeHubBudget({ jobsOperations: 0 });
    const deps = { ...fixture.deps, hub: new BudgetedHubJobGateway(fixture.hub, budget, {}) };
    await requestCancel(job.jobId, deps);
    const again = await requestCancel(job.jobId, deps);
    assert.equal(again.outcome, 'recorded');
    assert.equal(again.job.revision, (await fixture.jobStore.get(job.jobId))?.revision);
    assert.equal(fixture.hub.callCount('cancelJob'), 0);
  });
});
