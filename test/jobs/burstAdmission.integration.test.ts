import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/composition';
import { createJob } from '../../src/jobs/createJob';
import { pollActiveJobs, type PollReport } from '../../src/jobs/pollActiveJobs';
import { mapWithConcurrency } from '../../src/storage/mapWithConcurrency';
import { methodJobSpec } from './support/useCaseFixture';
import { driveUntil, processQueueOnce, startLiveStack, type LiveStack } from './support/liveStack';

const jobCount = 30;
const createConcurrency = 10;
const threeDevices = "deviceId IN ['device-00001','device-00002','device-00003']";
/** S1's single job slot, with its rates ×10 so the test runs in seconds. */
const s1Times10 = {
  jobsOperationsPerMinute: 1000,
  queriesPerMinute: 200,
  deviceOperationsPerSecond: 100,
};
/** Pause between poll ticks: the test plays a fast timer, not POLL_INTERVAL_SECONDS' real pace. */
const tickPauseMs = 50;
const driveTimeoutMs = 60_000;

describe('a burst of creates on S1 (one job slot), against Azurite and the hub emulator', () => {
  let stack: LiveStack;
  let instances: Services[];

  before(async () => {
    stack = await startLiveStack({ devices: 10, tier: 'S1', limits: s1Times10 });
    // Two instances over the same tables and queue, as when the HTTP functions scale out.
    const shared = {
      TABLE_PREFIX: `burst${randomUUID().replace(/-/g, '').slice(0, 10)}`,
      JOB_REQUESTS_QUEUE: `burst-${randomUUID().slice(0, 8)}`,
      SUBMIT_RETRY_BASE_SECONDS: '5',
      SUBMIT_RETRY_MAX_SECONDS: '30',
      // hubjobs' budget ×10 to match: 800 jobs operations and 160 queries a minute.
      HUB_UNITS: '10',
    };
    instances = [stack.services(shared), stack.services(shared)];
  });
  after(() => stack.close());

  it('sends no create into a full hub, and the poller runs every job to its end in order', async () => {
    await stack.admin.resetRequestCounts();
    const indices = Array.from({ length: jobCount }, (_, index) => index);
    const created = await mapWithConcurrency(indices, createConcurrency, (index) =>
      createJob(
        { spec: methodJobSpec({ queryCondition: threeDevices }), mode: 'post' },
        instances[index % instances.length]!.deps,
      ),
    );
    const admissions = created.map((result) => result.admission);
    assert.equal(admissions.filter((outcome) => outcome === 'submitted').length, 1);
    assert.equal(admissions.filter((outcome) => outcome === 'deferred').length, jobCount - 1);

    const [poller, queueWorker] = instances as [Services, Services];
    const reports: PollReport[] = [];
    const startedAt = Date.now();
    await driveUntil(
      'every job has ended and its results are imported',
      async () => {
        reports.push(await pollActiveJobs(poller.deps, poller.pollOptions));
        await processQueueOnce(queueWorker, stack.azurite.connectionString);
      },
      async () => (await poller.deps.jobStore.listActive()).length === 0,
      driveTimeoutMs,
      tickPauseMs,
    );

    const requests = await stack.admin.requestCounts();
    const answers = await stack.admin.answerCounts();
    assert.ok((requests['jobs.create'] ?? 0) / jobCount <= 1.05, 'hub creates per job');
    assert.equal(answers['jobs.create']?.['429004'] ?? 0, 0, 'no create sent into a full hub');
    const throttled = Object.entries(answers).flatMap(([route, byAnswer]) =>
      Object.entries(byAnswer ?? {})
        .filter(([answer]) => answer.startsWith('429'))
        .map(([answer, count]) => `${route} ${answer} ×${count}`),
    );
    assert.deepEqual(throttled, [], 'the hub throttled nothing');
    const jobsOperations = ['jobs.create', 'jobs.get', 'jobs.cancel', 'jobs.query']
      .map((route) => requests[route as keyof typeof requests] ?? 0)
      .reduce((sum, count) => sum + count, 0);
    const minutes = Math.ceil((Date.now() - startedAt) / 60_000);
    assert.ok(
      jobsOperations <= 800 * minutes,
      `${jobsOperations} jobs operations in ${minutes} min`,
    );
    for (const report of reports) {
      assert.ok(report.hubJobCalls <= report.jobsOperationsShare, JSON.stringify(report));
      assert.ok(report.importQueries <= report.queriesShare, JSON.stringify(report));
    }
    const ended = await Promise.all(
      created.map(async ({ job }) => {
        const stored = await poller.deps.jobStore.get(job.jobId);
        assert.equal(stored?.status, 'completed');
        assert.equal(stored?.resultsImport?.phase, 'done');
        assert.equal(stored?.resultsImport?.imported, 3);
        return stored;
      }),
    );
    // One slot, so the hub ran them one after the other: no job started before the last ended.
    const bySubmission = [...ended].sort((a, b) => a.submittedAt!.localeCompare(b.submittedAt!));
    for (const [index, job] of bySubmission.entries()) {
      const previous = bySubmission[index - 1];
      if (previous === undefined) continue;
      assert.ok(job.submittedAt! >= previous.endedAt!, 'a job started while another ran');
      // The first job took the free slot at its create, racing the nine created beside it; every
      // later one waited, and waiting jobs are served oldest first.
      if (index >= 2) {
        assert.ok(job.createdAt >= previous.createdAt, 'waiting jobs are served oldest first');
      }
    }
  });
});
