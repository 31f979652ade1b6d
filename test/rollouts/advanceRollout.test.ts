import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advanceRollout } from '../../src/rollouts/advanceRollout';
import { cancelRollout } from '../../src/rollouts/cancelRollout';
import { continueRollout } from '../../src/rollouts/continueRolloutMessage';
import { pauseRollout, resumeRollout } from '../../src/rollouts/pauseRollout';
import { createJob } from '../../src/jobs/createJob';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { createRollout } from '../../src/rollouts/createRollout';
import type { RolloutRequest } from '../../src/rollouts/rolloutRequestSchema';
import { methodJobSpec } from '../jobs/support/useCaseFixture';
import {
  deviceIds,
  rolloutFixture,
  type RolloutFixture,
  pollOptions,
} from './support/rolloutFixture';

const reboot = {
  type: 'scheduleDeviceMethod' as const,
  cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
};

function request(overrides: Partial<RolloutRequest> = {}): RolloutRequest {
  return {
    operation: reboot,
    targets: { kind: 'deviceIds', deviceIds: deviceIds(1200) },
    waves: { count: 500 },
    maxExecutionTimeInSeconds: 600,
    dryRun: false,
    ...overrides,
  };
}

const step = (fixture: RolloutFixture, rolloutId: string) =>
  advanceRollout(rolloutId, fixture.deps, { refreshFromHub: true });

/** Ends every chunk job the hub runs, as its engine would, each device succeeding. */
function finishHubJobs(fixture: RolloutFixture): void {
  for (const [jobId, job] of fixture.hub.jobs) {
    if (!['queued', 'scheduled', 'running'].includes(job.snapshot.status)) continue;
    const devices = job.spec.queryCondition.split(',').length;
    fixture.hub.setStatus(jobId, 'completed', {
      deviceCount: devices,
      succeededCount: devices,
      pendingCount: 0,
      runningCount: 0,
    });
  }
}

/** Steps until the rollout ends; between steps the hub ends its jobs and a poll imports them. */
async function runToEnd(fixture: RolloutFixture, rolloutId: string, maxSteps = 50) {
  for (let i = 0; i < maxSteps; i++) {
    const result = await step(fixture, rolloutId);
    if (result.outcome !== 'running' && result.outcome !== 'importing') return result;
    fixture.clock.advanceSeconds(
      result.outcome === 'running' ? Math.max(1, result.checkInSeconds) : 1,
    );
    finishHubJobs(fixture);
    await pollActiveJobs(fixture.deps, pollOptions);
  }
  throw new Error(`rollout ${rolloutId} did not end in ${maxSteps} steps`);
}

describe('advanceRollout', () => {
  it('runs the waves in order, one chunk in flight on a one-slot hub, each chunk created once', async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'r1', mode: 'put' }, fixture.deps);
    const first = await step(fixture, 'r1');
    assert.equal(first.outcome, 'running');
    assert.deepEqual([...fixture.hub.jobs.keys()], ['r1-w1-c1-a1']);
    const ended = await runToEnd(fixture, 'r1');
    assert.equal(ended.outcome, 'ended');
    const rollout = await fixture.rollouts.get('r1');
    assert.equal(rollout?.status, 'completed');
    assert.deepEqual(
      rollout?.waves.map((wave) => [wave.deviceCount, wave.status]),
      [
        [500, 'completed'],
        [500, 'completed'],
        [200, 'completed'],
      ],
    );
    assert.equal(rollout?.statistics.deviceCount, 1200);
    assert.equal(rollout?.statistics.succeededCount, 1200);
    const creates = fixture.hub.calls.filter((call) => call.method === 'createJob');
    assert.equal(new Set(creates.map((call) => call.jobId)).size, creates.length);
    const chunkJobs = fixture.jobStore.stored().filter((job) => job.rolloutId === 'r1');
    assert.equal(chunkJobs.length, rollout?.waves.flatMap((wave) => wave.jobIds).length);
  });

  it("completes only once every chunk's device results are imported, reading then only those left", async () => {
    const fixture = rolloutFixture({ maxActiveJobs: 3 });
    await createRollout({ request: request(), rolloutId: 'i1', mode: 'put' }, fixture.deps);
    let result = await step(fixture, 'i1');
    for (let i = 0; i < 20 && result.outcome === 'running'; i++) {
      fixture.clock.advanceSeconds(60);
      finishHubJobs(fixture);
      result = await step(fixture, 'i1');
    }
    // Every wave ended at the hub, and no poll has imported a result yet.
    assert.equal(result.outcome, 'importing');
    let rollout = await fixture.rollouts.get('i1');
    assert.ok(rollout?.waves.every((wave) => wave.status === 'completed'));
    assert.equal(rollout?.status, 'running');
    assert.match(rollout?.statusMessage ?? '', /importing the device results of 3 chunk job\(s\)/);
    assert.deepEqual(rollout?.importingJobIds, ['i1-w1-c1-a1', 'i1-w2-c1-a1', 'i1-w3-c1-a1']);
    // No message waits for the import: the poller steps the rollout after importing.
    fixture.queue.sent.length = 0;
    assert.equal((await continueRollout('i1', fixture.deps)).outcome, 'importing');
    assert.deepEqual(fixture.queue.sent, []);

    const reads: string[] = [];
    const get = fixture.jobStore.get.bind(fixture.jobStore);
    fixture.jobStore.get = (jobId) => {
      reads.push(jobId);
      return get(jobId);
    };
    await pollActiveJobs(fixture.deps, pollOptions);
    reads.length = 0;
    const ended = await step(fixture, 'i1');
    assert.equal(ended.outcome, 'ended');
    assert.deepEqual(reads.filter((jobId) => jobId.startsWith('i1-')).sort(), [
      'i1-w1-c1-a1',
      'i1-w2-c1-a1',
      'i1-w3-c1-a1',
    ]);
    rollout = await fixture.rollouts.get('i1');
    assert.equal(rollout?.status, 'completed');
    assert.equal(rollout?.statusMessage, 'All 3 wave(s) ended.');
    assert.equal(rollout?.importingJobIds, undefined);
  });

  it('reads only the chunk jobs still open, however many of its wave have ended', async () => {
    const fixture = rolloutFixture();
    const oneWave = request({ targets: { kind: 'deviceIds', deviceIds: deviceIds(3000) } });
    delete oneWave.waves;
    await createRollout({ request: oneWave, rolloutId: 'o1', mode: 'put' }, fixture.deps);
    for (let i = 0; i < 4; i++) {
      await step(fixture, 'o1');
      fixture.clock.advanceSeconds(60);
      finishHubJobs(fixture);
    }
    const rollout = await fixture.rollouts.get('o1');
    assert.ok((rollout?.waves[0]?.jobIds.length ?? 0) >= 4, 'several chunks of the one wave ran');
    const reads: string[] = [];
    const get = fixture.jobStore.get.bind(fixture.jobStore);
    fixture.jobStore.get = (jobId) => {
      reads.push(jobId);
      return get(jobId);
    };
    await step(fixture, 'o1');
    const chunkReads = reads.filter((jobId) => jobId.startsWith('o1-'));
    assert.ok(chunkReads.length <= 3, `read ${chunkReads.join(', ')}`);
    const ended = await runToEnd(fixture, 'o1');
    assert.equal(ended.outcome, 'ended');
    assert.equal((await fixture.rollouts.get('o1'))?.statistics.succeededCount, 3000);
  });

  it('creates a recorded chunk whose job a stopped step never stored, and only once', async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'r2', mode: 'put' }, fixture.deps);
    await step(fixture, 'r2');
    // A step that recorded wave 1's chunk and stopped before creating the job.
    fixture.jobStore.drop('r2-w1-c1-a1');
    fixture.hub.jobs.delete('r2-w1-c1-a1');
    await step(fixture, 'r2');
    assert.ok(fixture.jobStore.stored().some((job) => job.jobId === 'r2-w1-c1-a1'));
    assert.ok(fixture.hub.jobs.has('r2-w1-c1-a1'));
  });

  it('creates nothing twice when two steps run at once', async () => {
    const fixture = rolloutFixture({ maxActiveJobs: 3 });
    await createRollout({ request: request(), rolloutId: 'r3', mode: 'put' }, fixture.deps);
    await Promise.all([step(fixture, 'r3'), step(fixture, 'r3'), step(fixture, 'r3')]);
    const creates = fixture.hub.calls.filter((call) => call.method === 'createJob');
    assert.equal(new Set(creates.map((call) => call.jobId)).size, fixture.hub.jobs.size);
    const ended = await runToEnd(fixture, 'r3');
    assert.equal(ended.outcome, 'ended');
    const rollout = await fixture.rollouts.get('r3');
    assert.equal(rollout?.statistics.deviceCount, 1200);
  });

  it('cancels a chunk it was creating when another instance ended the rollout meanwhile', async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'e1', mode: 'put' }, fixture.deps);
    const create = fixture.hub.createJob.bind(fixture.hub);
    fixture.hub.createJob = async (jobId, spec) => {
      const created = await create(jobId, spec);
      // Another instance ends the rollout (a threshold, a window's close) while this one creates.
      const current = await fixture.rollouts.get('e1');
      if (current !== undefined && current.status !== 'failed') {
        await fixture.rollouts.update({ ...current, status: 'failed', statusMessage: 'ended' });
      }
      return created;
    };
    await step(fixture, 'e1');
    assert.deepEqual([...fixture.hub.jobs.keys()], ['e1-w1-c1-a1']);
    const chunk = await fixture.jobStore.get('e1-w1-c1-a1');
    assert.equal(chunk?.cancelRequested, true);
    assert.ok(fixture.hub.calls.some((call) => call.method === 'cancelJob'));
  });

  it('leaves a freed slot to a plain job that waited longer than the next chunk', async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'r7', mode: 'put' }, fixture.deps);
    await step(fixture, 'r7');
    const plain = await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    assert.equal(plain.job.status, 'accepted', 'the chunk holds the only slot');
    fixture.clock.advanceSeconds(60);
    finishHubJobs(fixture);
    await step(fixture, 'r7');
    assert.equal(fixture.hub.jobs.get(plain.job.jobId)?.snapshot.status, 'queued');
    assert.equal(fixture.hub.jobs.has('r7-w2-c1-a1'), false, 'the next chunk waits its turn');
    const chunk = await fixture.jobStore.get('r7-w2-c1-a1');
    assert.equal(chunk?.status, 'accepted');
  });

  it('waits for its start time before the first chunk', async () => {
    const fixture = rolloutFixture();
    const startTime = new Date(fixture.clock.now().getTime() + 600_000).toISOString();
    await createRollout(
      { request: request({ startTime }), rolloutId: 'r4', mode: 'put' },
      fixture.deps,
    );
    const result = await step(fixture, 'r4');
    assert.equal(result.outcome, 'running');
    assert.equal(result.outcome === 'running' ? result.checkInSeconds : 0, 600);
    assert.equal(fixture.hub.jobs.size, 0);
  });

  it('fails the rollout, naming the job and reason, when the hub refuses a chunk for good', async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'r5', mode: 'put' }, fixture.deps);
    fixture.hub.failNext('createJob', 'badRequest');
    await step(fixture, 'r5');
    const result = await step(fixture, 'r5');
    assert.equal(result.outcome, 'ended');
    const rollout = await fixture.rollouts.get('r5');
    assert.equal(rollout?.status, 'failed');
    assert.match(rollout?.statusMessage ?? '', /r5-w1-c1-a1/);
    assert.equal(fixture.hub.jobs.size, 0, 'no later chunk was created');
  });

  it('resolves a condition with sized waves page by page, then plans its ids', async () => {
    const fixture = rolloutFixture({ fleet: deviceIds(250, 'dev-') });
    const byCondition = request({
      targets: { kind: 'queryCondition', queryCondition: "tags.site = 'x'" },
      waves: { count: 100 },
    });
    await createRollout({ request: byCondition, rolloutId: 'r6', mode: 'put' }, fixture.deps);
    await step(fixture, 'r6');
    // 16 queries a minute × a share of 0.25: a page every 15 s, however often it is stepped.
    const early = await step(fixture, 'r6');
    assert.equal(fixture.fleet.queries.length, 1, 'a step within the pause spends nothing');
    assert.equal(early.outcome === 'running' ? early.checkInSeconds : 0, 15);
    for (let i = 0; i < 2; i++) {
      fixture.clock.advanceSeconds(15);
      await step(fixture, 'r6');
    }
    assert.equal(fixture.fleet.queries.length, 3, 'one page a step, three pages of 100');
    const rollout = await fixture.rollouts.get('r6');
    assert.equal(rollout?.plan.state, 'planned');
    assert.deepEqual(
      rollout?.waves.map((wave) => wave.deviceCount),
      [100, 100, 50],
    );
  });
});

describe('a failure threshold', () => {
  it('stops the rollout in the wave that crosses it: its chunk cancelled, no later wave started', async () => {
    const fixture = rolloutFixture();
    const guarded = request({ failureThreshold: { percent: 10, minFinishedDevices: 100 } });
    await createRollout({ request: guarded, rolloutId: 't1', mode: 'put' }, fixture.deps);
    await step(fixture, 't1');
    // Mid-chunk, on the hub's live counts: 150 of 200 finished devices failed.
    fixture.hub.setStatus('t1-w1-c1-a1', 'running', {
      deviceCount: 500,
      succeededCount: 50,
      failedCount: 150,
      pendingCount: 300,
    });
    fixture.clock.advanceSeconds(60);
    const result = await step(fixture, 't1');
    assert.equal(result.outcome, 'ended');
    const rollout = await fixture.rollouts.get('t1');
    assert.equal(rollout?.status, 'failed');
    assert.match(rollout?.statusMessage ?? '', /150 of 200 finished devices failed \(75.0%\)/);
    assert.deepEqual(
      rollout?.waves.map((wave) => wave.status),
      ['cancelled', 'cancelled', 'cancelled'],
    );
    assert.equal(fixture.hub.jobs.get('t1-w1-c1-a1')?.snapshot.status, 'cancelled');
    assert.deepEqual([...fixture.hub.jobs.keys()], ['t1-w1-c1-a1']);
  });

  it('lets a rollout under its threshold run to the end', async () => {
    const fixture = rolloutFixture();
    const guarded = request({ failureThreshold: { count: 1 } });
    await createRollout({ request: guarded, rolloutId: 't2', mode: 'put' }, fixture.deps);
    const ended = await runToEnd(fixture, 't2');
    assert.equal(ended.outcome, 'ended');
    assert.equal((await fixture.rollouts.get('t2'))?.status, 'completed');
  });
});

describe('cancelRollout', () => {
  it('cancels the running chunk at the hub and starts nothing more', async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'c1', mode: 'put' }, fixture.deps);
    await step(fixture, 'c1');
    fixture.hub.setStatus('c1-w1-c1-a1', 'running');
    const cancelled = await cancelRollout('c1', fixture.deps);
    assert.equal(cancelled.status, 'cancelled');
    assert.match(cancelled.statusMessage ?? '', /2, 3/);
    assert.equal(fixture.hub.jobs.get('c1-w1-c1-a1')?.snapshot.status, 'cancelled');
    const after = await step(fixture, 'c1');
    assert.equal(after.outcome, 'ended');
    assert.deepEqual([...fixture.hub.jobs.keys()], ['c1-w1-c1-a1']);
  });
});

describe('pauseRollout and resumeRollout', () => {
  it('lets the running chunk finish, starts nothing until resumed, then completes', async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'p1', mode: 'put' }, fixture.deps);
    await step(fixture, 'p1');
    const paused = await pauseRollout('p1', fixture.deps);
    assert.equal(paused.status, 'paused');
    assert.deepEqual(await pauseRollout('p1', fixture.deps).then((r) => r.status), 'paused');
    finishHubJobs(fixture);
    fixture.clock.advanceSeconds(60);
    const resting = await step(fixture, 'p1');
    assert.equal(resting.outcome, 'paused');
    assert.deepEqual(
      [...fixture.hub.jobs.keys()],
      ['p1-w1-c1-a1'],
      'no chunk started while paused',
    );
    fixture.queue.sent.length = 0;
    const resumed = await resumeRollout('p1', fixture.deps);
    assert.equal(resumed.status, 'running');
    assert.ok(fixture.queue.sent.some((sent) => sent.message.kind === 'advanceRollout'));
    const ended = await runToEnd(fixture, 'p1');
    assert.equal(ended.outcome, 'ended');
    assert.equal((await fixture.rollouts.get('p1'))?.statistics.succeededCount, 1200);
    await assert.rejects(resumeRollout('p1', fixture.deps), /not paused|already ended/);
  });
});

describe('continueRollout (the advanceRollout message)', () => {
  it("queues the next step just before the running chunk's expected end: its devices over the hub's rate", async () => {
    const fixture = rolloutFixture();
    await createRollout({ request: request(), rolloutId: 'm1', mode: 'put' }, fixture.deps);
    fixture.queue.sent.length = 0;
    await continueRollout('m1', fixture.deps);
    const advance = fixture.queue.sent.filter((sent) => sent.message.kind === 'advanceRollout');
    assert.equal(advance.length, 1);
    // 500 devices at 10 a second, arriving 3 s early to wait the rest in process.
    assert.equal(advance[0]?.delaySeconds, 47);
  });

  it('waits in process for a chunk about to end, then starts the next one at once', async () => {
    const fixture = rolloutFixture();
    fixture.deps.rolloutOptions.chunkEndWaitMs = 60_000;
    fixture.deps.rolloutOptions.chunkEndCheckMs = 1000;
    await createRollout({ request: request(), rolloutId: 'm2', mode: 'put' }, fixture.deps);
    await step(fixture, 'm2');
    fixture.hub.setStatus('m2-w1-c1-a1', 'running', {
      deviceCount: 500,
      succeededCount: 480,
      pendingCount: 20,
    });
    const original = fixture.deps.sleep;
    fixture.deps.sleep = async (ms) => {
      await original?.(ms);
      finishHubJobs(fixture);
    };
    await continueRollout('m2', fixture.deps);
    assert.ok(fixture.hub.jobs.has('m2-w2-c1-a1'), 'the next wave started in the same message');
  });
});
