import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceOutcome, DeviceResult } from '../../src/jobs/job';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { advanceRollout } from '../../src/rollouts/advanceRollout';
import { createRollout } from '../../src/rollouts/createRollout';
import { toRolloutResource } from '../../src/rollouts/rolloutResourceSchema';
import type { RolloutRequest } from '../../src/rollouts/rolloutRequestSchema';
import {
  deviceIds,
  rolloutFixture,
  type RolloutFixture,
  pollOptions,
} from './support/rolloutFixture';

const ids = deviceIds(20);
const offline = new Set(ids.slice(0, 5));

function request(outcomes: RolloutRequest['retry']): RolloutRequest {
  return {
    operation: {
      type: 'scheduleDeviceMethod',
      cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
    },
    targets: { kind: 'deviceIds', deviceIds: ids },
    maxExecutionTimeInSeconds: 600,
    dryRun: false,
    ...(outcomes === undefined ? {} : { retry: outcomes }),
  };
}

/** The ids a chunk job's `deviceId IN [...]` condition names. */
function idsOf(fixture: RolloutFixture, jobId: string): string[] {
  const condition = fixture.hub.jobs.get(jobId)?.spec.queryCondition ?? '';
  return [...condition.matchAll(/'([^']+)'/g)].map((match) => match[1] ?? '');
}

/** Ends the hub job with one result per device, each with the outcome `outcomeOf` gives. */
function endAtHub(
  fixture: RolloutFixture,
  jobId: string,
  outcomeOf: (id: string) => DeviceOutcome,
) {
  const results: DeviceResult[] = idsOf(fixture, jobId).map((deviceId) => {
    const outcome = outcomeOf(deviceId);
    return {
      jobId,
      deviceId,
      outcome,
      status: outcome === 'succeeded' ? 'completed' : 'failed',
      ...(outcome === 'offline' ? { error: { code: '404103' } } : {}),
    };
  });
  fixture.hub.setResults(jobId, results);
  const failed = results.filter((result) => result.outcome !== 'succeeded').length;
  fixture.hub.setStatus(jobId, 'completed', {
    deviceCount: results.length,
    succeededCount: results.length - failed,
    failedCount: failed,
    pendingCount: 0,
    runningCount: 0,
  });
}

/** A poll tick (refresh and import, which records the merged results), then a step. */
async function tickAndStep(fixture: RolloutFixture, rolloutId: string) {
  fixture.clock.advanceSeconds(60);
  await pollActiveJobs(fixture.deps, pollOptions);
  return advanceRollout(rolloutId, fixture.deps, { refreshFromHub: true });
}

describe('retries', () => {
  it('gives devices whose outcome qualifies a retry chunk with the next attempt, then completes', async () => {
    const fixture = rolloutFixture();
    const retry = { outcomes: ['offline' as const], maxAttempts: 3, delaySeconds: 0 };
    await createRollout({ request: request(retry), rolloutId: 'y1', mode: 'put' }, fixture.deps);
    await advanceRollout('y1', fixture.deps, { refreshFromHub: true });
    endAtHub(fixture, 'y1-w1-c1-a1', (id) => (offline.has(id) ? 'offline' : 'succeeded'));
    await tickAndStep(fixture, 'y1');
    await tickAndStep(fixture, 'y1');
    assert.deepEqual(idsOf(fixture, 'y1-w1-c1-a2'), [...offline].sort(), 'only the offline ones');
    endAtHub(fixture, 'y1-w1-c1-a2', () => 'succeeded');
    let result = await tickAndStep(fixture, 'y1');
    for (let i = 0; i < 3 && result.outcome === 'running'; i++)
      result = await tickAndStep(fixture, 'y1');
    assert.equal(result.outcome, 'ended');
    const rollout = await fixture.rollouts.get('y1');
    assert.equal(rollout?.status, 'completed');
    assert.equal(fixture.hub.jobs.has('y1-w1-c1-a3'), false);
    assert.deepEqual(
      [
        rollout?.statistics.deviceCount,
        rollout?.statistics.succeededCount,
        rollout?.statistics.failedCount,
      ],
      [20, 20, 0],
      'each device counted once, by its latest outcome',
    );
    assert.ok(rollout);
    const wave = toRolloutResource(rollout).waves[0];
    assert.deepEqual([wave?.attempt, wave?.jobCount, wave?.jobIds.length], [2, 2, 2]);
    const rows = await fixture.deps.rolloutDeviceResults.list('y1', {}, { pageSize: 100 });
    const retried = rows.items.filter((row) => row.attempt === 2).map((row) => row.deviceId);
    assert.deepEqual(retried.sort(), [...offline].sort());
  });

  it('stops a device that keeps failing at maxAttempts, and leaves classes it does not name', async () => {
    const fixture = rolloutFixture();
    const retry = { outcomes: ['failed' as const], maxAttempts: 2, delaySeconds: 0 };
    await createRollout({ request: request(retry), rolloutId: 'y2', mode: 'put' }, fixture.deps);
    await advanceRollout('y2', fixture.deps, { refreshFromHub: true });
    const outcome = (id: string): DeviceOutcome =>
      offline.has(id) ? 'failed' : id === ids[10] ? 'timedOut' : 'succeeded';
    endAtHub(fixture, 'y2-w1-c1-a1', outcome);
    await tickAndStep(fixture, 'y2');
    await tickAndStep(fixture, 'y2');
    assert.deepEqual(
      idsOf(fixture, 'y2-w1-c1-a2'),
      [...offline].sort(),
      'timed out is not retried',
    );
    endAtHub(fixture, 'y2-w1-c1-a2', () => 'failed');
    let result = await tickAndStep(fixture, 'y2');
    for (let i = 0; i < 3 && result.outcome === 'running'; i++)
      result = await tickAndStep(fixture, 'y2');
    assert.equal(result.outcome, 'ended');
    assert.equal(fixture.hub.jobs.has('y2-w1-c1-a3'), false, 'no third attempt past maxAttempts');
    const rollout = await fixture.rollouts.get('y2');
    assert.deepEqual(
      [
        rollout?.statistics.deviceCount,
        rollout?.statistics.succeededCount,
        rollout?.statistics.failedCount,
      ],
      [20, 14, 6],
    );
  });
});

describe('a failure threshold over chosen classes', () => {
  const withThreshold = (outcomes: ('offline' | 'timedOut')[]): RolloutRequest => ({
    ...request(undefined),
    failureThreshold: { percent: 10, outcomes },
  });

  it('counts the named class once the failures are imported, and ignores the others', async () => {
    for (const [rolloutId, outcomes, status] of [
      ['z1', ['timedOut'], 'completed'],
      ['z2', ['offline'], 'failed'],
    ] as const) {
      const fixture = rolloutFixture();
      await createRollout(
        { request: withThreshold([...outcomes]), rolloutId, mode: 'put' },
        fixture.deps,
      );
      await advanceRollout(rolloutId, fixture.deps, { refreshFromHub: true });
      endAtHub(fixture, `${rolloutId}-w1-c1-a1`, (id) =>
        offline.has(id) ? 'offline' : 'succeeded',
      );
      let result = await tickAndStep(fixture, rolloutId);
      for (let i = 0; i < 3 && result.outcome === 'running'; i++) {
        result = await tickAndStep(fixture, rolloutId);
      }
      const rollout = await fixture.rollouts.get(rolloutId);
      assert.equal(rollout?.status, status, `${outcomes.join()}: ${rollout?.statusMessage}`);
      if (status === 'failed')
        assert.match(rollout?.statusMessage ?? '', /5 of 20 finished devices failed/);
    }
  });
});
