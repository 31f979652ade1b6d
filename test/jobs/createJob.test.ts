import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob } from '../../src/jobs/createJob';
import { ConflictError } from '../../src/core/errors';
import { hashRequest } from '../../src/core/requestHash';
import { newAcceptedJob } from '../../src/jobs/jobLifecycle';
import { methodJobSpec, useCaseFixture } from './support/useCaseFixture';

describe('createJob', () => {
  it('submits a job due now and stores the status the hub answered', async () => {
    const { deps, hub, jobStore } = useCaseFixture();
    const result = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    assert.equal(result.created, true);
    assert.equal(result.admission, 'submitted');
    assert.equal(result.job.status, 'queued');
    assert.ok(result.job.submittedAt);
    assert.equal(hub.jobs.get(result.job.jobId)?.snapshot.status, 'queued');
    assert.equal((await jobStore.get(result.job.jobId))?.status, 'queued');
  });

  it('keeps a second job accepted and enqueues a retry when the only slot is taken', async () => {
    const { deps, hub, queue } = useCaseFixture(1);
    await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    const second = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    assert.equal(second.admission, 'deferred');
    assert.equal(second.job.status, 'accepted');
    assert.equal(second.job.submitAttempts, 1);
    assert.equal(hub.jobs.has(second.job.jobId), false);
    assert.deepEqual(queue.submittedJobIds, [second.job.jobId]);
    assert.equal(queue.sent[0]?.delaySeconds, 5);
  });

  it('holds a job that starts tomorrow as accepted, without touching the hub', async () => {
    const { deps, hub, queue, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 24 * 3600 * 1000).toISOString();
    const result = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    assert.equal(result.admission, 'waitingForStartTime');
    assert.equal(result.job.status, 'accepted');
    assert.equal(hub.calls.length, 0);
    assert.equal(queue.sent[0]?.delaySeconds, 24 * 3600 - 120);
  });

  it('tells a job waiting for its start time when it will be submitted, as a slot wait does', async () => {
    const { deps, jobStore, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 24 * 3600 * 1000).toISOString();
    const { job } = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    const submitAt = new Date(Date.parse(startTime) - 120 * 1000).toISOString();
    const expected = `Waiting for its start time; it will be submitted to the hub at ${submitAt}.`;
    assert.equal(job.statusMessage, expected);
    assert.equal((await jobStore.get(job.jobId))?.statusMessage, expected);
    assert.equal(jobStore.updates, 0, 'said with the create, at no extra write');
  });

  it('gives a job due now no waiting message', async () => {
    const { deps, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 60 * 1000).toISOString();
    const { job } = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    assert.equal(job.status, 'queued');
    assert.equal(job.statusMessage, undefined);
  });

  it('caps the delay of a job starting in a month to what the queue allows', async () => {
    const { deps, queue, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 30 * 24 * 3600 * 1000).toISOString();
    await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    assert.equal(queue.sent[0]?.delaySeconds, deps.admission.maxQueueDelaySeconds);
  });

  it('submits at once a job whose start time is within the lead', async () => {
    const { deps, clock } = useCaseFixture();
    const startTime = new Date(clock.now().getTime() + 60 * 1000).toISOString();
    const result = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
    assert.equal(result.admission, 'submitted');
  });

  it('answers a PUT with the same body with the stored job and creates nothing', async () => {
    const { deps, hub } = useCaseFixture();
    const first = await createJob({ jobId: 'nightly-1', spec: methodJobSpec(), mode: 'put' }, deps);
    const again = await createJob({ jobId: 'nightly-1', spec: methodJobSpec(), mode: 'put' }, deps);
    assert.equal(again.created, false);
    assert.equal(again.job.jobId, 'nightly-1');
    assert.equal(again.job.requestHash, first.job.requestHash);
    assert.equal(hub.callCount('createJob'), 1);
  });

  it('claims the hub slot while it stores a due job, and keeps one hold through a PUT race', async () => {
    const { deps, hub, hubSlots } = useCaseFixture();
    const racers = await Promise.all(
      [1, 2, 3].map(() =>
        createJob({ jobId: 'raced-1', spec: methodJobSpec(), mode: 'put' }, deps),
      ),
    );
    assert.equal(racers.filter((result) => result.created).length, 1);
    assert.deepEqual(hubSlots.holders(), ['raced-1']);
    assert.equal(hub.callCount('createJob'), 1);
  });

  it('frees the slot it claimed early when the job cannot be stored', async () => {
    const { deps, hubSlots } = useCaseFixture();
    deps.jobStore.createPending = () => Promise.reject(new Error('storage is down'));
    await assert.rejects(
      createJob({ jobId: 'unstored-1', spec: methodJobSpec(), mode: 'put' }, deps),
      /storage is down/,
    );
    assert.deepEqual(hubSlots.holders(), []);
  });

  it('refuses a PUT with a different body under a taken id', async () => {
    const { deps } = useCaseFixture();
    await createJob({ jobId: 'nightly-1', spec: methodJobSpec(), mode: 'put' }, deps);
    const different = methodJobSpec({ queryCondition: "deviceId = 'other'" });
    await assert.rejects(
      createJob({ jobId: 'nightly-1', spec: different, mode: 'put' }, deps),
      ConflictError,
    );
  });

  it('stores a job the hub refuses as rejected, with the reason', async () => {
    const { deps, hub } = useCaseFixture();
    hub.failNext('createJob', 'badRequest');
    const result = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    assert.equal(result.admission, 'rejected');
    assert.equal(result.job.status, 'rejected');
    assert.match(result.job.failureReason ?? '', /injected badRequest/);
    assert.equal(result.job.resultsImport?.phase, 'done');
  });

  it('still answers with the stored job when the hub and the queue both fail', async () => {
    const { deps, hub, queue, logs } = useCaseFixture();
    hub.failNext('createJob', 'transient');
    queue.failNextSend = true;
    const result = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
    assert.equal(result.job.status, 'accepted');
    assert.ok(logs.some((log) => log.level === 'error'));
  });

  describe('lists every job it answers for', () => {
    const listedIds = async (jobStore: ReturnType<typeof useCaseFixture>['jobStore']) =>
      (await jobStore.list({}, { pageSize: 50 })).items.map((job) => job.jobId);

    it('through admission’s own write when the job is submitted, deferred or rejected', async () => {
      const { deps, hub, jobStore } = useCaseFixture(1);
      hub.failNext('createJob', 'badRequest');
      const rejected = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
      const submitted = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
      const deferred = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
      assert.deepEqual(
        [submitted.admission, deferred.admission, rejected.admission],
        ['submitted', 'deferred', 'rejected'],
      );
      assert.deepEqual(
        (await listedIds(jobStore)).sort(),
        [submitted.job.jobId, deferred.job.jobId, rejected.job.jobId].sort(),
      );
    });

    it('itself when admission wrote nothing (a job waiting for its start time)', async () => {
      const { deps, jobStore, clock } = useCaseFixture();
      const startTime = new Date(clock.now().getTime() + 24 * 3600 * 1000).toISOString();
      const result = await createJob({ spec: methodJobSpec({ startTime }), mode: 'post' }, deps);
      assert.equal(result.admission, 'waitingForStartTime');
      assert.equal(jobStore.updates, 0);
      assert.deepEqual(await listedIds(jobStore), [result.job.jobId]);
    });

    it('itself when admission failed outright', async () => {
      const { deps, hub, queue, jobStore } = useCaseFixture();
      hub.failNext('createJob', 'transient');
      queue.failNextSend = true;
      const result = await createJob({ spec: methodJobSpec(), mode: 'post' }, deps);
      assert.deepEqual(await listedIds(jobStore), [result.job.jobId]);
    });

    it('again on a PUT replay of a job still accepted, repairing a create cut short', async () => {
      const { deps, jobStore, clock } = useCaseFixture();
      const startTime = new Date(clock.now().getTime() + 24 * 3600 * 1000).toISOString();
      const spec = methodJobSpec({ startTime });
      // All a create leaves when its process stops right after storing the job.
      const createdAt = clock.now().toISOString();
      await jobStore.createPending(newAcceptedJob('later-1', spec, hashRequest(spec), createdAt));
      assert.deepEqual(await listedIds(jobStore), []);
      const again = await createJob({ jobId: 'later-1', spec, mode: 'put' }, deps);
      assert.equal(again.created, false);
      assert.deepEqual(await listedIds(jobStore), ['later-1']);
      assert.deepEqual(await jobStore.get('later-1'), again.job, 'answers the job as listed');
    });
  });
});
