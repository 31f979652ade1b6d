import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob } from '../../src/jobs/createJob';
import type { DeviceResult } from '../../src/jobs/job';
import { BudgetedHubJobGateway } from '../../src/hub/BudgetedHubJobGateway';
import { requestCancel } from '../../src/jobs/cancelJob';
import {
  importQueryBudget,
  pollActiveJobs,
  pollJobsOperationsBudget,
  type PollOptions,
  type PollReport,
} from '../../src/jobs/pollActiveJobs';
import { FakeHubBudget } from '../support/fakeHubBudget';
import { methodJobSpec, useCaseFixture, type UseCaseFixture } from './support/useCaseFixture';

const options: PollOptions = {
  queriesPerMinute: 20,
  importQueryShare: 0.5,
  pollIntervalSeconds: 30,
  stalledAfterSeconds: 600,
};

async function submitted(fixture: UseCaseFixture, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps)).job.jobId);
  }
  return ids;
}

function deviceResults(jobId: string, count: number, failed: number): DeviceResult[] {
  return Array.from({ length: count }, (_, i) => ({
    jobId,
    deviceId: `dev-${String(i).padStart(5, '0')}`,
    status: i < failed ? 'failed' : 'completed',
    outcome: i < failed ? 'failed' : 'succeeded',
  }));
}

describe('importQueryBudget', () => {
  it("spends the configured share of the tier's query quota per tick", () => {
    assert.equal(importQueryBudget(options), 5);
    assert.equal(importQueryBudget({ ...options, queriesPerMinute: 1000 }), 250);
  });

  it('allows at least one query a tick', () => {
    assert.equal(importQueryBudget({ ...options, queriesPerMinute: 1, pollIntervalSeconds: 1 }), 1);
  });
});

describe('pollJobsOperationsBudget', () => {
  it("spends the poller's share of hubjobs' jobs operations per tick", () => {
    const perMinute = { ...options, jobsOperationsPerMinute: 400, pollJobsOperationsShare: 0.25 };
    assert.equal(pollJobsOperationsBudget(perMinute), 50);
  });

  it("defaults to half of the tier's jobs quota at the default quota share", () => {
    assert.equal(pollJobsOperationsBudget(options), 20, 'S1: 80 a minute × 0.5 × 30 s / 60');
    assert.equal(pollJobsOperationsBudget({ ...options, pollIntervalSeconds: 5 }), 3);
    const s3 = { ...options, queriesPerMinute: 1000, pollIntervalSeconds: 1 };
    assert.equal(pollJobsOperationsBudget(s3), 33, 'S3: 4000 a minute × 0.5 × 1 s / 60');
  });

  it('allows at least one jobs operation a tick', () => {
    const tiny = { ...options, jobsOperationsPerMinute: 1, pollIntervalSeconds: 1 };
    assert.equal(pollJobsOperationsBudget(tiny), 1);
  });
});

const jobsOperations = new Set(['createJob', 'getJob', 'cancelJob', 'queryJobs']);

/** One tick; checks it stayed within its share, from the hub's own call log and the report. */
async function tickWithinShare(
  fixture: UseCaseFixture,
  pollOptions: PollOptions,
): Promise<{ report: PollReport; getJobs: string[] }> {
  const before = fixture.hub.calls.length;
  const report = await pollActiveJobs(fixture.deps, pollOptions);
  const calls = fixture.hub.calls.slice(before);
  const sent = calls.filter((call) => jobsOperations.has(call.method)).length;
  assert.equal(report.hubJobCalls, sent, 'the report says what the tick spent');
  assert.ok(sent <= report.jobsOperationsShare, `${sent} > ${report.jobsOperationsShare}`);
  const getJobs = calls.filter((call) => call.method === 'getJob').map((call) => call.jobId!);
  return { report, getJobs };
}

/** 40 a minute × 0.5 × 30 s: ten jobs operations a tick. */
const shareOfTen: PollOptions = { ...options, jobsOperationsPerMinute: 40 };

describe('pollActiveJobs within its share of jobs operations', () => {
  it('reads 50 jobs that end at once over several ticks, oldest first, one getJob each', async () => {
    const fixture = useCaseFixture(50);
    const ids = await submitted(fixture, 50);
    for (const id of ids) fixture.hub.setStatus(id, 'running', { deviceCount: 1, runningCount: 1 });
    await pollActiveJobs(fixture.deps, options);
    const oldestFirst = (await fixture.jobStore.listActive()).map((job) => job.jobId);
    assert.deepEqual([...oldestFirst].sort(), [...ids].sort());
    for (const id of ids)
      fixture.hub.setStatus(id, 'completed', { deviceCount: 1, succeededCount: 1 });
    const first = await tickWithinShare(fixture, shareOfTen);
    assert.equal(first.report.jobsOperationsShare, 10);
    assert.deepEqual(first.getJobs, oldestFirst.slice(0, 9), 'one jobs query, then nine reads');
    assert.equal(first.report.ended, 9);
    assert.equal(first.report.waitingForShare, 41);
    const read = [...first.getJobs];
    for (let tick = 0; tick < 10 && read.length < ids.length; tick++) {
      fixture.clock.advanceSeconds(30);
      read.push(...(await tickWithinShare(fixture, shareOfTen)).getJobs);
    }
    assert.deepEqual(read, oldestFirst, 'every job read exactly once, oldest first');
    for (const id of ids) assert.equal((await fixture.jobStore.get(id))?.status, 'completed');
  });

  it('takes turns reading jobs when the share is too small for the status queries', async () => {
    const fixture = useCaseFixture(3);
    const ids = await submitted(fixture, 3);
    const oneCall = { ...options, jobsOperationsPerMinute: 4 };
    const read: string[] = [];
    for (let tick = 0; tick < 4; tick++) {
      read.push(...(await tickWithinShare(fixture, oneCall)).getJobs);
      fixture.clock.advanceSeconds(30);
    }
    assert.deepEqual(read, [ids[0], ids[1], ids[2], ids[0]]);
  });

  it('stops its queries a call short of the share, so a job that ended is still read', async () => {
    const fixture = useCaseFixture(300);
    for (let i = 0; i < 250; i++) await fixture.hub.createJob(`other-tool-${i}`, methodJobSpec());
    for (const job of fixture.hub.jobs.values()) job.snapshot.status = 'running';
    const ids = await submitted(fixture, 5);
    for (const id of ids) fixture.hub.setStatus(id, 'running');
    await pollActiveJobs(fixture.deps, options);
    fixture.hub.setStatus(ids[2]!, 'completed');
    const threeCalls = { ...options, jobsOperationsPerMinute: 12 };
    for (let tick = 0; tick < 6; tick++) {
      fixture.clock.advanceSeconds(30);
      await tickWithinShare(fixture, threeCalls);
    }
    assert.equal((await fixture.jobStore.get(ids[2]!))?.status, 'completed');
  });

  it('leaves the rest for the next tick when the hub budget is spent, without a failure', async () => {
    const fixture = useCaseFixture(2);
    const ids = await submitted(fixture, 2);
    for (const id of ids) fixture.hub.setStatus(id, 'completed');
    const budget = new FakeHubBudget({ jobsOperations: 1 });
    fixture.deps.hub = new BudgetedHubJobGateway(fixture.hub, budget, {});
    const spent = await tickWithinShare(fixture, options);
    assert.deepEqual(spent.getJobs, [ids[0]]);
    assert.equal(spent.report.failures, 0);
    assert.equal(spent.report.waitingForShare, 1);
    budget.allowance.jobsOperations = Infinity;
    assert.deepEqual((await tickWithinShare(fixture, options)).getJobs, [ids[1]]);
  });

  it('sends the cancels recorded without budget within the share, oldest first', async () => {
    const fixture = useCaseFixture(3);
    const ids = await submitted(fixture, 3);
    const budget = new FakeHubBudget({ jobsOperations: 0 });
    const spentHub = new BudgetedHubJobGateway(fixture.hub, budget, {});
    for (const id of ids) await requestCancel(id, { ...fixture.deps, hub: spentHub });
    const twoCalls = { ...options, jobsOperationsPerMinute: 8 };
    const first = await tickWithinShare(fixture, twoCalls);
    assert.equal(first.report.hubCancels, 2);
    assert.deepEqual(
      fixture.hub.calls.filter((call) => call.method === 'cancelJob').map((call) => call.jobId),
      [ids[0], ids[1]],
    );
    assert.equal((await fixture.jobStore.get(ids[2]!))?.status, 'queued');
    fixture.clock.advanceSeconds(30);
    assert.equal((await tickWithinShare(fixture, twoCalls)).report.hubCancels, 1);
    for (const id of ids) assert.equal((await fixture.jobStore.get(id))?.status, 'cancelled');
  });

  it('logs what the tick spent of each share', async () => {
    const fixture = useCaseFixture();
    await submitted(fixture, 1);
    await pollActiveJobs(fixture.deps, options);
    const line = fixture.logs.find((log) => log.message === 'pollJobs: tick done');
    assert.equal(line?.properties?.['quotaUsed'], 'jobsOperations 1/20, queries 0/5');
  });
});

describe('pollActiveJobs', () => {
  it('refreshes ten running jobs with one jobs query instead of ten reads', async () => {
    const fixture = useCaseFixture(10);
    const ids = await submitted(fixture, 10);
    for (const id of ids) fixture.hub.setStatus(id, 'running', { deviceCount: 5, runningCount: 5 });
    await pollActiveJobs(fixture.deps, options);
    fixture.hub.calls.length = 0;
    const report = await pollActiveJobs(fixture.deps, options);
    assert.equal(report.hubJobCalls, 1);
    assert.deepEqual(
      fixture.hub.calls.map((call) => call.method),
      ['queryJobs'],
    );
    assert.equal((await fixture.jobStore.get(ids[3]!))?.statistics.runningCount, 5);
  });

  it('reads single jobs only for those that left the active set', async () => {
    const fixture = useCaseFixture(10);
    const ids = await submitted(fixture, 10);
    for (const id of ids) fixture.hub.setStatus(id, 'running');
    await pollActiveJobs(fixture.deps, options);
    fixture.hub.setStatus(ids[0]!, 'completed', { deviceCount: 2, succeededCount: 2 });
    fixture.hub.calls.length = 0;
    const report = await pollActiveJobs(fixture.deps, options);
    assert.equal(report.ended, 1);
    assert.deepEqual(
      fixture.hub.calls.filter((call) => call.method === 'getJob').map((call) => call.jobId),
      [ids[0]],
    );
    const ended = await fixture.jobStore.get(ids[0]!);
    assert.equal(ended?.status, 'completed');
    assert.equal(ended?.statistics.succeededCount, 2);
    assert.ok(ended?.endedAt);
  });

  it('uses single reads when they are cheaper than the status queries', async () => {
    const fixture = useCaseFixture();
    await submitted(fixture, 1);
    fixture.hub.calls.length = 0;
    await pollActiveJobs(fixture.deps, options);
    assert.deepEqual(
      fixture.hub.calls.map((call) => call.method),
      ['getJob'],
    );
  });

  it('makes no hub call when nothing is active, however much history is stored', async () => {
    const fixture = useCaseFixture();
    const ids = await submitted(fixture, 1);
    fixture.hub.setStatus(ids[0]!, 'completed');
    await pollActiveJobs(fixture.deps, options);
    await pollActiveJobs(fixture.deps, options);
    fixture.hub.calls.length = 0;
    const report = await pollActiveJobs(fixture.deps, options);
    assert.equal(report.activeJobs, 0);
    assert.equal(fixture.hub.calls.length, 0);
  });

  it('imports failures first and never spends more queries than the budget', async () => {
    const fixture = useCaseFixture();
    const [id] = await submitted(fixture, 1);
    fixture.hub.setResults(id!, deviceResults(id!, 1000, 150));
    fixture.hub.setStatus(id!, 'completed', { deviceCount: 1000, failedCount: 150 });
    const first = await pollActiveJobs(fixture.deps, options);
    assert.equal(first.importQueries, 5);
    const stored = [...fixture.deviceResultStore.results.values()];
    assert.equal(stored.filter((r) => r.status === 'failed').length, 150);
    assert.equal(stored.length, 450, 'two failed pages (100 + 50), then three others pages');
    const progress = (await fixture.jobStore.get(id!))?.resultsImport;
    assert.equal(progress?.phase, 'others');
    assert.ok(progress?.continuationToken);
    let ticks = 1;
    while ((await fixture.jobStore.get(id!))?.resultsImport?.phase !== 'done' && ticks < 10) {
      const report = await pollActiveJobs(fixture.deps, options);
      assert.ok(report.importQueries <= 5);
      ticks++;
    }
    assert.equal(fixture.deviceResultStore.results.size, 1000);
    assert.equal(fixture.hub.callCount('queryDeviceResults'), 11);
    assert.equal((await fixture.jobStore.listActive()).length, 0);
  });

  it('stops importing for the tick when the hub throttles queries, and resumes later', async () => {
    const fixture = useCaseFixture();
    const [id] = await submitted(fixture, 1);
    fixture.hub.setResults(id!, deviceResults(id!, 300, 0));
    fixture.hub.setStatus(id!, 'completed');
    await pollActiveJobs(fixture.deps, { ...options, queriesPerMinute: 0.1 });
    fixture.hub.failNext('queryDeviceResults', 'throttled');
    const throttled = await pollActiveJobs(fixture.deps, options);
    assert.equal(throttled.importQueries, 1);
    await pollActiveJobs(fixture.deps, options);
    assert.equal(fixture.deviceResultStore.results.size, 300);
  });

  it('goes on with the other jobs when one cannot be read', async () => {
    const fixture = useCaseFixture(2);
    const ids = await submitted(fixture, 2);
    fixture.hub.setStatus(ids[0]!, 'completed');
    fixture.hub.setStatus(ids[1]!, 'completed');
    fixture.hub.failNext('getJob', 'transient');
    const report = await pollActiveJobs(fixture.deps, options);
    assert.equal(report.failures, 1);
    assert.equal(report.ended, 1);
    await pollActiveJobs(fixture.deps, options);
    assert.equal((await fixture.jobStore.get(ids[0]!))?.status, 'completed');
    assert.equal((await fixture.jobStore.get(ids[1]!))?.status, 'completed');
  });

  it('marks a job the hub no longer knows as failed', async () => {
    const fixture = useCaseFixture();
    const [id] = await submitted(fixture, 1);
    fixture.hub.jobs.clear();
    await pollActiveJobs(fixture.deps, options);
    const job = await fixture.jobStore.get(id!);
    assert.equal(job?.status, 'failed');
    assert.match(job?.failureReason ?? '', /no longer knows/);
  });

  it('submits a waiting job as soon as a tick sees the running one end', async () => {
    const fixture = useCaseFixture(1);
    const [first, second] = await submitted(fixture, 2);
    assert.equal((await fixture.jobStore.get(second!))?.status, 'accepted');
    fixture.hub.setStatus(first!, 'completed');
    const report = await pollActiveJobs(fixture.deps, options);
    assert.equal(report.nudged, 1);
    assert.equal((await fixture.jobStore.get(second!))?.status, 'queued');
    assert.equal(fixture.queue.sent.length, 1, 'no second chain of messages');
  });

  it('re-enqueues a due job whose queue message was lost', async () => {
    const fixture = useCaseFixture();
    fixture.hub.failNext('createJob', 'transient');
    const { job } = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    fixture.queue.sent.length = 0;
    fixture.clock.advanceSeconds(60);
    assert.equal((await pollActiveJobs(fixture.deps, options)).requeued, 0);
    fixture.clock.advanceSeconds(options.stalledAfterSeconds);
    assert.equal((await pollActiveJobs(fixture.deps, options)).requeued, 1);
    assert.deepEqual(fixture.queue.submittedJobIds, [job.jobId]);
    assert.equal((await pollActiveJobs(fixture.deps, options)).requeued, 0);
  });
});
