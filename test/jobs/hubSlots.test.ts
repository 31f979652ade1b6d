import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob } from '../../src/jobs/createJob';
import { pollActiveJobs, type PollOptions } from '../../src/jobs/pollActiveJobs';
import { submitJob, waitingForSlotMessage } from '../../src/jobs/submitJob';
import { methodJobSpec, useCaseFixture, type UseCaseFixture } from './support/useCaseFixture';

const pollOptions: PollOptions = {
  queriesPerMinute: 20,
  importQueryShare: 0.5,
  pollIntervalSeconds: 30,
  stalledAfterSeconds: 100_000,
};

async function createMany(fixture: UseCaseFixture, count: number) {
  const results = [];
  for (let i = 0; i < count; i++) {
    results.push(await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps));
    fixture.clock.advanceSeconds(1);
  }
  return results;
}

const statusOf = async (fixture: UseCaseFixture, jobId: string) =>
  (await fixture.jobStore.get(jobId))?.status;

describe('admission and the hub slots', () => {
  it('sends no create into a full hub: the job waits, says why, and the queue carries it', async () => {
    const fixture = useCaseFixture(1);
    const [first, second] = await createMany(fixture, 2);
    assert.equal(first?.admission, 'submitted');
    assert.equal(second?.admission, 'deferred');
    assert.equal(second?.job.status, 'accepted');
    assert.equal(second?.job.statusMessage, waitingForSlotMessage);
    assert.equal(fixture.hub.callCount('createJob'), 1, 'no create just to earn a 429004');
    assert.deepEqual(fixture.queue.submittedJobIds, [second?.job.jobId]);
    assert.deepEqual(fixture.hubSlots.holders(), [first?.job.jobId]);
  });

  it('defers on overBudget like a throttle, frees the slot and honours the retry time', async () => {
    const fixture = useCaseFixture(1);
    fixture.hub.failNext('createJob', 'overBudget', 1, { retryAfterMs: 7000 });
    const result = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    assert.equal(result.admission, 'deferred');
    assert.equal(result.job.status, 'accepted');
    assert.match(result.job.statusMessage ?? '', /hubjobs' share of the hub's jobs operations/);
    assert.equal(fixture.queue.sent[0]?.delaySeconds, 7);
    assert.deepEqual(fixture.hubSlots.holders(), [], 'a budget refusal holds no slot');
    const retried = await submitJob(result.job.jobId, fixture.deps);
    assert.equal(retried.outcome, 'submitted');
  });

  it('keeps the slot of a create that timed out, since the hub may have taken it', async () => {
    const fixture = useCaseFixture(1);
    fixture.hub.failNext('createJob', 'transient');
    const first = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    assert.equal(first.admission, 'deferred');
    assert.deepEqual(fixture.hubSlots.holders(), [first.job.jobId]);
    const second = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    assert.equal(second.admission, 'deferred');
    assert.equal(fixture.hub.callCount('createJob'), 1);
    assert.equal((await submitJob(first.job.jobId, fixture.deps)).outcome, 'submitted');
  });

  it('frees a slot when the hub says it is full after all (another tool took it)', async () => {
    const fixture = useCaseFixture(1);
    fixture.hub.failNext('createJob', 'maxActiveJobs');
    const result = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    assert.equal(result.job.statusMessage, waitingForSlotMessage);
    assert.deepEqual(fixture.hubSlots.holders(), []);
  });
});

describe('the poller and the hub slots', () => {
  it('fills exactly the slots freed in a tick with the oldest waiting jobs, in that tick', async () => {
    const fixture = useCaseFixture(2);
    const jobs = (await createMany(fixture, 5)).map((result) => result.job.jobId);
    assert.equal(fixture.hub.callCount('createJob'), 2);
    fixture.hub.setStatus(jobs[0]!, 'completed');
    fixture.hub.setStatus(jobs[1]!, 'completed');
    const report = await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal(report.nudged, 2);
    assert.deepEqual(await Promise.all(jobs.map((jobId) => statusOf(fixture, jobId))), [
      'completed',
      'completed',
      'queued',
      'queued',
      'accepted',
    ]);
    assert.equal(fixture.hub.callCount('createJob'), 4, 'one create per submitted job');
    assert.deepEqual(fixture.hubSlots.holders().sort(), [jobs[2], jobs[3]].sort());
    assert.equal(fixture.queue.sent.length, 3, 'no second chain of messages');
  });

  it('fills nothing while every slot is in use', async () => {
    const fixture = useCaseFixture(1);
    await createMany(fixture, 3);
    const report = await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal(report.nudged, 0);
    assert.equal(fixture.hub.callCount('createJob'), 1);
  });

  it('serves the job due longest first, and gives a job starting later no slot early', async () => {
    const fixture = useCaseFixture(1);
    const [running] = await createMany(fixture, 1);
    const inAnHour = new Date(fixture.clock.now().getTime() + 3600_000).toISOString();
    const later = await createJob(
      { spec: methodJobSpec({ startTime: inAnHour }), mode: 'post' },
      fixture.deps,
    );
    fixture.clock.advanceSeconds(1);
    const [dueNow, dueAfter] = await createMany(fixture, 2);
    fixture.hub.setStatus(running!.job.jobId, 'completed');
    await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal(await statusOf(fixture, dueNow!.job.jobId), 'queued');
    assert.equal(await statusOf(fixture, dueAfter!.job.jobId), 'accepted');
    assert.equal(await statusOf(fixture, later.job.jobId), 'accepted');
    assert.deepEqual(fixture.hubSlots.holders(), [dueNow!.job.jobId]);
  });

  it('frees the hold a crashed submit left once the claim grace is over, then uses it', async () => {
    const fixture = useCaseFixture(1);
    await fixture.hubSlots.claim('crashed-before-recording', 1);
    const [waiting] = await createMany(fixture, 1);
    assert.equal(waiting?.admission, 'deferred');
    await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal(await statusOf(fixture, waiting.job.jobId), 'accepted', 'within the grace');
    fixture.clock.advanceSeconds(fixture.deps.admission.slotClaimGraceSeconds);
    await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal(await statusOf(fixture, waiting.job.jobId), 'queued');
    assert.deepEqual(fixture.hubSlots.holders(), [waiting.job.jobId]);
  });

  it('gives a job active at the hub without a hold its slot back, so admission sees it full', async () => {
    const fixture = useCaseFixture(1);
    const [running] = await createMany(fixture, 1);
    fixture.hubSlots.slots.clear();
    await pollActiveJobs(fixture.deps, pollOptions);
    assert.deepEqual(fixture.hubSlots.holders(), [running!.job.jobId]);
    const next = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    assert.equal(next.admission, 'deferred');
    assert.equal(fixture.hub.callCount('createJob'), 1);
  });

  it('stops filling for the tick when the budget refuses a submit', async () => {
    const fixture = useCaseFixture(2);
    const jobs = (await createMany(fixture, 4)).map((result) => result.job.jobId);
    fixture.hub.setStatus(jobs[0]!, 'completed');
    fixture.hub.setStatus(jobs[1]!, 'completed');
    fixture.hub.failNext('createJob', 'overBudget');
    const report = await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal(report.nudged, 1);
    assert.equal(fixture.hub.callCount('createJob'), 3);
    assert.deepEqual(fixture.hubSlots.holders(), [], 'the refused job gave its slot back');
    await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal(await statusOf(fixture, jobs[2]!), 'queued');
    assert.equal(await statusOf(fixture, jobs[3]!), 'queued');
  });
});
