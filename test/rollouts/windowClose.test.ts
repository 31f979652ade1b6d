import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advanceRollout } from '../../src/rollouts/advanceRollout';
import { createRollout } from '../../src/rollouts/createRollout';
import type { RolloutSpec } from '../../src/rollouts/rollout';
import type { RolloutRequest } from '../../src/rollouts/rolloutRequestSchema';
import { deviceIds, rolloutFixture, type RolloutFixture } from './support/rolloutFixture';

const reboot = {
  type: 'scheduleDeviceMethod' as const,
  cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
};

// 3 waves of 100 devices on a one-slot hub: one chunk in flight at a time.
const request: RolloutRequest = {
  operation: reboot,
  targets: { kind: 'deviceIds', deviceIds: deviceIds(300) },
  waves: { count: 100 },
  maxExecutionTimeInSeconds: 600,
  dryRun: false,
};

async function windowRollout(
  fixture: RolloutFixture,
  endBehavior: 'stopLaunching' | 'cancelRunning',
  closeInSeconds = 60,
): Promise<NonNullable<RolloutSpec['window']>> {
  const closesAt = new Date(fixture.clock.now().getTime() + closeInSeconds * 1000).toISOString();
  const window = { closesAt, endBehavior, scheduleId: 'nightly' };
  await createRollout({ request, rolloutId: 'w1', mode: 'put', window }, fixture.deps);
  return window;
}

const step = (fixture: RolloutFixture) =>
  advanceRollout('w1', fixture.deps, { refreshFromHub: true });

/** Steps as the continuation messages would, until the rollout ends. */
async function stepToEnd(fixture: RolloutFixture) {
  for (let i = 0; i < 10; i++) {
    const result = await step(fixture);
    if (result.outcome !== 'running') return result;
    fixture.clock.advanceSeconds(Math.max(1, result.checkInSeconds));
  }
  throw new Error('the rollout did not end in 10 steps');
}

function finishJob(fixture: RolloutFixture, jobId: string): void {
  fixture.hub.setStatus(jobId, 'completed', {
    deviceCount: 100,
    succeededCount: 100,
    pendingCount: 0,
    runningCount: 0,
  });
}

describe('a rollout started by a maintenance window', () => {
  it('checks in no later than the window close while it runs', async () => {
    const fixture = rolloutFixture();
    // The chunk of 100 devices is expected to take 10 s; the window closes in 2.
    await windowRollout(fixture, 'stopLaunching', 2);
    const first = await step(fixture);
    assert.equal(first.outcome === 'running' && first.checkInSeconds, 2);
  });

  it('with stopLaunching, starts no wave after the close, lets the running chunk end and ends completed naming the waves not started', async () => {
    const fixture = rolloutFixture();
    const window = await windowRollout(fixture, 'stopLaunching');
    await step(fixture);
    assert.deepEqual([...fixture.hub.jobs.keys()], ['w1-w1-c1-a1']);
    fixture.clock.advanceSeconds(61);
    const afterClose = await step(fixture);
    assert.equal(afterClose.outcome, 'running', 'the running chunk is followed, not cancelled');
    assert.equal(fixture.hub.calls.filter((c) => c.method === 'cancelJob').length, 0);
    finishJob(fixture, 'w1-w1-c1-a1');
    fixture.clock.advanceSeconds(30);
    const ended = await stepToEnd(fixture);
    assert.equal(ended.outcome, 'ended');
    const rollout = await fixture.rollouts.get('w1');
    assert.equal(rollout?.status, 'completed');
    assert.equal(
      rollout?.statusMessage,
      `The maintenance window closed at ${window.closesAt}; wave(s) 2, 3 did not start.`,
    );
    assert.deepEqual(
      rollout?.waves.map((wave) => wave.status),
      ['completed', 'cancelled', 'cancelled'],
    );
    assert.equal(rollout?.statistics.succeededCount, 100);
    assert.deepEqual(
      [...fixture.hub.jobs.keys()],
      ['w1-w1-c1-a1'],
      'no chunk started after the close',
    );
  });

  it('with cancelRunning, cancels the running chunk at the hub at the close', async () => {
    const fixture = rolloutFixture();
    await windowRollout(fixture, 'cancelRunning');
    await step(fixture);
    fixture.clock.advanceSeconds(61);
    await step(fixture);
    const cancels = fixture.hub.calls.filter((c) => c.method === 'cancelJob');
    assert.deepEqual(
      cancels.map((c) => c.jobId),
      ['w1-w1-c1-a1'],
    );
    await step(fixture);
    assert.equal(
      fixture.hub.calls.filter((c) => c.method === 'cancelJob').length,
      1,
      'cancelled once',
    );
    fixture.hub.setStatus('w1-w1-c1-a1', 'cancelled');
    fixture.clock.advanceSeconds(30);
    const ended = await stepToEnd(fixture);
    assert.equal(ended.outcome, 'ended');
    const rollout = await fixture.rollouts.get('w1');
    assert.equal(rollout?.status, 'completed');
    assert.match(
      rollout?.statusMessage ?? '',
      /wave\(s\) 2, 3 did not start; running chunks were cancelled\.$/,
    );
    assert.deepEqual([...fixture.hub.jobs.keys()], ['w1-w1-c1-a1']);
  });

  it('does not create after the close a chunk that a stopped step recorded but never stored', async () => {
    const fixture = rolloutFixture({ maxActiveJobs: 2 });
    const closesAt = new Date(fixture.clock.now().getTime() + 60_000).toISOString();
    const window = { closesAt, endBehavior: 'stopLaunching' as const, scheduleId: 'nightly' };
    const oneWave = {
      ...request,
      targets: { kind: 'deviceIds' as const, deviceIds: deviceIds(1200) },
    };
    delete oneWave.waves;
    await createRollout({ request: oneWave, rolloutId: 'w1', mode: 'put', window }, fixture.deps);
    await step(fixture);
    assert.deepEqual([...fixture.hub.jobs.keys()], ['w1-w1-c1-a1', 'w1-w1-c2-a1']);
    // The step that recorded chunk 2 stopped before creating its job; chunk 1 runs on.
    fixture.jobStore.drop('w1-w1-c2-a1');
    fixture.hub.jobs.delete('w1-w1-c2-a1');
    fixture.clock.advanceSeconds(61);
    await step(fixture);
    assert.deepEqual(
      [...fixture.hub.jobs.keys()],
      ['w1-w1-c1-a1'],
      'nothing created after the close',
    );
    assert.equal(await fixture.jobStore.get('w1-w1-c2-a1'), undefined);
    const devices = fixture.hub.jobs.get('w1-w1-c1-a1')?.spec.queryCondition.split(',').length ?? 0;
    fixture.hub.setStatus('w1-w1-c1-a1', 'completed', {
      deviceCount: devices,
      succeededCount: devices,
      pendingCount: 0,
      runningCount: 0,
    });
    const ended = await stepToEnd(fixture);
    assert.equal(ended.outcome, 'ended');
    assert.equal((await fixture.rollouts.get('w1'))?.status, 'completed');
    assert.deepEqual([...fixture.hub.jobs.keys()], ['w1-w1-c1-a1']);
  });

  it('runs as any rollout while its window is open', async () => {
    const fixture = rolloutFixture();
    await windowRollout(fixture, 'stopLaunching');
    await step(fixture);
    finishJob(fixture, 'w1-w1-c1-a1');
    fixture.clock.advanceSeconds(20);
    await step(fixture);
    assert.deepEqual([...fixture.hub.jobs.keys()], ['w1-w1-c1-a1', 'w1-w2-c1-a1']);
  });
});
