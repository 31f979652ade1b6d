import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/composition';
import { createJob } from '../../src/jobs/createJob';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { methodJobSpec } from './support/useCaseFixture';
import { driveUntil, processQueueOnce, startLiveStack, type LiveStack } from './support/liveStack';

const jobCount = 30;
const createConcurrency = 10;
const threeDevices = "deviceId IN ['device-00001','device-00002','device-00003']";
const unlimited = { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 };
/** Pause between poll ticks: the test plays a fast timer, not POLL_INTERVAL_SECONDS' real pace. */
const tickPauseMs = 50;
const driveTimeoutMs = 60_000;

/** Runs `count` calls of `work`, at most `concurrency` at once; answers in call order. */
async function runConcurrently<T>(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await work(index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

describe('a burst of creates on S1 (one job slot), against Azurite and the hub emulator', () => {
  let stack: LiveStack;
  let instances: Services[];

  before(async () => {
    stack = await startLiveStack({ devices: 10, tier: 'S1', limits: unlimited });
    // Two instances over the same tables and queue, as when the HTTP functions scale out.
    const shared = {
      TABLE_PREFIX: `burst${randomUUID().replace(/-/g, '').slice(0, 10)}`,
      JOB_REQUESTS_QUEUE: `burst-${randomUUID().slice(0, 8)}`,
      SUBMIT_RETRY_BASE_SECONDS: '5',
      SUBMIT_RETRY_MAX_SECONDS: '30',
    };
    instances = [stack.services(shared), stack.services(shared)];
  });
  after(() => stack.close());

  it('sends no create into a full hub, and the poller runs every job to its end in order', async () => {
    await stack.admin.resetRequestCounts();
    const created = await runConcurrently(jobCount, createConcurrency, (index) =>
      createJob(
        { spec: methodJobSpec({ queryCondition: threeDevices }), mode: 'post' },
        instances[index % instances.length]!.deps,
      ),
    );
    const admissions = created.map((result) => result.admission);
    assert.equal(admissions.filter((outcome) => outcome === 'submitted').length, 1);
    assert.equal(admissions.filter((outcome) => outcome === 'deferred').length, jobCount - 1);

    const [poller, queueWorker] = instances as [Services, Services];
    await driveUntil(
      'every job has ended and its results are imported',
      async () => {
        await pollActiveJobs(poller.deps, poller.pollOptions);
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
      assert.ok(job.createdAt >= previous.createdAt, 'waiting jobs are served oldest first');
    }
  });
});
