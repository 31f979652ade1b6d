import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob } from '../../src/jobs/createJob';
import { releaseSlot } from '../../src/jobs/reconcileHubSlots';
import { submitJob } from '../../src/jobs/submitJob';
import { methodJobSpec, useCaseFixture } from './support/useCaseFixture';

describe('submitJob', () => {
  it('does nothing for a job that was already submitted (a redelivered message)', async () => {
    const { deps, hub } = useCaseFixture();
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    const result = await submitJob(job.jobId, deps);
    assert.equal(result.outcome, 'skipped');
    assert.equal(hub.callCount('createJob'), 1);
  });

  it('answers notFound for a job that was never stored, calling nothing at the hub', async () => {
    const { deps, hub } = useCaseFixture();
    assert.deepEqual(await submitJob('nope', deps), { outcome: 'notFound' });
    assert.equal(hub.calls.length, 0);
  });

  it('submits a deferred job once the slot is free', async () => {
    const { deps, hub } = useCaseFixture(1);
    const first = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    const second = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    hub.setStatus(first.job.jobId, 'completed');
    // What the poller does when it sees the first job end.
    await releaseSlot(first.job.jobId, deps);
    const result = await submitJob(second.job.jobId, deps);
    assert.equal(result.outcome, 'submitted');
    assert.equal(result.job?.status, 'queued');
  });

  it('grows the delay with every deferred attempt, up to the maximum', async () => {
    const { deps, queue } = useCaseFixture(1);
    await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    const waiting = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    for (let i = 0; i < 8; i++) await submitJob(waiting.job.jobId, deps);
    assert.deepEqual(
      queue.sent.map((sent) => sent.delaySeconds),
      [5, 10, 20, 40, 80, 160, 300, 300, 300],
    );
    assert.equal((await deps.jobStore.get(waiting.job.jobId))?.submitAttempts, 9);
  });

  it("honours the hub's Retry-After when it is longer than the back-off", async () => {
    const { deps, hub, queue } = useCaseFixture();
    hub.failNext('createJob', 'throttled', 1, { status: 429, retryAfterMs: 42_000 });
    await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    assert.equal(queue.sent[0]?.delaySeconds, 42);
  });

  it('re-enqueues a capped message that arrives before its job is due', async () => {
    const { deps, hub, queue, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 10 * 24 * 3600 * 1000).toISOString();
    const { job } = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    clock.advanceSeconds(deps.admission.maxQueueDelaySeconds);
    const result = await submitJob(job.jobId, deps);
    assert.equal(result.outcome, 'waitingForStartTime');
    const expected = 10 * 24 * 3600 - 120 - deps.admission.maxQueueDelaySeconds;
    assert.equal(queue.sent[1]?.delaySeconds, expected);
    assert.equal(hub.calls.length, 0);
  });

  it('cancels at the hub a job cancelled while the hub was creating it', async () => {
    const { deps, hub, jobStore } = useCaseFixture();
    hub.failNext('createJob', 'transient');
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    jobStore.raceNextUpdate(job.jobId, (current) => ({
      ...current,
      status: 'cancelled',
      cancelRequested: true,
    }));
    const result = await submitJob(job.jobId, deps);
    assert.equal(result.outcome, 'skipped');
    assert.equal(hub.jobs.get(job.jobId)?.snapshot.status, 'cancelled');
    const stored = await jobStore.get(job.jobId);
    assert.equal(stored?.status, 'cancelled');
    assert.equal(stored?.resultsImport?.phase, 'failed');
  });

  it('stores the job as rejected when someone else owns its id at the hub', async () => {
    const { deps, hub } = useCaseFixture();
    hub.failNext('createJob', 'conflict');
    const result = await createJob({ jobId: 'taken', spec: methodJobSpec(), mode: 'put' }, deps);
    assert.equal(result.job.status, 'rejected');
  });

  it('asks the hub to cancel when a message arrives for a job cancelled before submission', async () => {
    const { deps, hub, jobStore } = useCaseFixture();
    hub.failNext('createJob', 'transient');
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    const stored = (await jobStore.get(job.jobId))!;
    await jobStore.update({ ...stored, status: 'cancelled', cancelRequested: true });
    assert.equal((await submitJob(job.jobId, deps)).outcome, 'skipped');
    assert.equal(hub.callCount('cancelJob'), 1);
    assert.equal(hub.callCount('createJob'), 1);
  });
});
