import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob } from '../../src/jobs/createJob';
import { followJob, maxFollows } from '../../src/jobs/followJob';
import { pollActiveJobs, type PollOptions } from '../../src/jobs/pollActiveJobs';
import { methodJobSpec, useCaseFixture, type UseCaseFixture } from './support/useCaseFixture';

const pollOptions: PollOptions = {
  queriesPerMinute: 20,
  importQueryShare: 0.5,
  pollIntervalSeconds: 30,
  stalledAfterSeconds: 100_000,
};

/** S1's one slot, with the device-operation rate set, so submitted waiting jobs are followed. */
function followingFixture(): UseCaseFixture {
  const fixture = useCaseFixture(1);
  fixture.deps.admission = { ...fixture.deps.admission, deviceOperationsPerSecond: 10 };
  return fixture;
}

async function createThree(fixture: UseCaseFixture): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    ids.push(job.jobId);
    fixture.clock.advanceSeconds(1);
  }
  return ids;
}

const follows = (fixture: UseCaseFixture) =>
  fixture.queue.sent.flatMap(({ message, delaySeconds }) =>
    message.kind === 'followJob'
      ? [{ jobId: message.jobId, follow: message.follow, delaySeconds }]
      : [],
  );

describe('following a job submitted into a freed slot', () => {
  it('hands the slot on as soon as the job is seen ended, without waiting for a poll tick', async () => {
    const fixture = followingFixture();
    const [first = '', second = '', third = ''] = await createThree(fixture);
    fixture.hub.setStatus(first, 'completed');
    await pollActiveJobs(fixture.deps, pollOptions);
    assert.equal((await fixture.jobStore.get(second))?.status, 'queued');
    assert.deepEqual(follows(fixture), [{ jobId: second, follow: 1, delaySeconds: 1 }]);

    fixture.hub.setStatus(second, 'completed');
    assert.equal(await followJob(second, 1, fixture.deps), 'ended');
    assert.equal((await fixture.jobStore.get(second))?.status, 'completed');
    assert.equal((await fixture.jobStore.get(third))?.status, 'queued', 'submitted at once');
    assert.equal(fixture.hub.callCount('createJob'), 3);
    assert.deepEqual(
      follows(fixture).map((entry) => entry.jobId),
      [second, third],
    );
  });

  it('looks again from the new statistics while the job runs, up to a bound', async () => {
    const fixture = followingFixture();
    const [first = '', second = ''] = await createThree(fixture);
    fixture.hub.setStatus(first, 'completed');
    await pollActiveJobs(fixture.deps, pollOptions);
    fixture.hub.setStatus(second, 'running', {
      deviceCount: 100,
      pendingCount: 60,
      runningCount: 10,
      succeededCount: 30,
    });
    assert.equal(await followJob(second, 1, fixture.deps), 'running');
    assert.deepEqual(follows(fixture).at(-1), { jobId: second, follow: 2, delaySeconds: 7 });
    const before = fixture.queue.sent.length;
    assert.equal(await followJob(second, maxFollows, fixture.deps), 'running');
    assert.equal(fixture.queue.sent.length, before, 'the poller alone follows it from here');
  });

  it('does nothing for a job already ended, and follows nothing without a device-operation rate', async () => {
    const fixture = followingFixture();
    const [first = ''] = await createThree(fixture);
    fixture.hub.setStatus(first, 'completed');
    await pollActiveJobs(fixture.deps, pollOptions);
    const calls = fixture.hub.callCount('getJob');
    assert.equal(await followJob(first, 1, fixture.deps), 'notActive');
    assert.equal(fixture.hub.callCount('getJob'), calls, 'no hub call for an ended job');

    const unconfigured = useCaseFixture(1);
    const [a = ''] = await createThree(unconfigured);
    unconfigured.hub.setStatus(a, 'completed');
    await pollActiveJobs(unconfigured.deps, pollOptions);
    assert.deepEqual(follows(unconfigured), []);
  });
});
