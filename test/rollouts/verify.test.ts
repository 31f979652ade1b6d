import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from '../../src/core/page';
import type { DeviceResult } from '../../src/jobs/job';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { advanceRollout, type AdvanceResult } from '../../src/rollouts/advanceRollout';
import { createRollout } from '../../src/rollouts/createRollout';
import type { HubDeviceQuery } from '../../src/rollouts/ports';
import { toRolloutResource } from '../../src/rollouts/rolloutResourceSchema';
import { clauseOf, stragglersCondition, verifyQueryPrefix } from '../../src/rollouts/verifyClause';
import type { RolloutRequest } from '../../src/rollouts/rolloutRequestSchema';
import {
  deviceIds,
  rolloutFixture,
  type RolloutFixture,
  pollOptions,
} from './support/rolloutFixture';

const ids = deviceIds(20);

/**
 * A registry where the devices in `silent` never report the desired values: a straggler query
 * (`deviceId IN [...] AND (NOT IS_DEFINED(...) OR ... != ...)`) returns the listed ones of them.
 */
class ReportingFleet implements HubDeviceQuery {
  readonly silent = new Set<string>();
  readonly stragglerQueries: string[] = [];

  countDevices(): Promise<number> {
    return Promise.resolve(ids.length);
  }

  countByValue(): Promise<{ value: unknown; count: number }[]> {
    return Promise.reject(new Error('not asked in these tests'));
  }

  queryDeviceIds(
    condition: string,
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<string>> {
    assert.match(condition, /NOT IS_DEFINED\(properties\.reported\.firmware\.version\)/);
    this.stragglerQueries.push(condition);
    const listed = [...condition.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
    const matching = listed.filter((id) => this.silent.has(id));
    const start = Number(page.continuationToken ?? 0);
    const end = start + (page.pageSize ?? 100);
    const items = matching.slice(start, end);
    return Promise.resolve(
      end < matching.length ? { items, continuationToken: String(end) } : { items },
    );
  }
}

function verifiedFixture(): { fixture: RolloutFixture; fleet: ReportingFleet } {
  const fixture = rolloutFixture();
  const fleet = new ReportingFleet();
  fixture.deps.fleet = fleet;
  return { fixture, fleet };
}

function request(extra: Partial<RolloutRequest> = {}): RolloutRequest {
  return {
    operation: {
      type: 'scheduleUpdateTwin',
      updateTwin: { properties: { desired: { firmware: { version: '2.1' } } } },
    },
    targets: { kind: 'deviceIds', deviceIds: ids },
    maxExecutionTimeInSeconds: 600,
    dryRun: false,
    verify: { reportedWithinSeconds: 120 },
    ...extra,
  };
}

/** Ends the chunk job at the hub: the patch written to every device it names. */
function endAtHub(fixture: RolloutFixture, jobId: string): void {
  const condition = fixture.hub.jobs.get(jobId)?.spec.queryCondition ?? '';
  const named = [...condition.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
  const results: DeviceResult[] = named.map((deviceId) => ({
    jobId,
    deviceId,
    outcome: 'succeeded',
    status: 'completed',
  }));
  fixture.hub.setResults(jobId, results);
  fixture.hub.setStatus(jobId, 'completed', {
    deviceCount: results.length,
    succeededCount: results.length,
    failedCount: 0,
    pendingCount: 0,
    runningCount: 0,
  });
}

async function tickAndStep(
  fixture: RolloutFixture,
  rolloutId: string,
  seconds = 10,
): Promise<AdvanceResult> {
  fixture.clock.advanceSeconds(seconds);
  await pollActiveJobs(fixture.deps, pollOptions);
  return advanceRollout(rolloutId, fixture.deps, { refreshFromHub: true });
}

async function statistics(fixture: RolloutFixture, rolloutId: string) {
  const rollout = await fixture.rollouts.get(rolloutId);
  const { succeededCount, failedCount, runningCount } = rollout?.statistics ?? {};
  return { status: rollout?.status, succeededCount, failedCount, runningCount };
}

async function rowsByOutcome(fixture: RolloutFixture, rolloutId: string) {
  const rows = await fixture.deps.rolloutDeviceResults.list(rolloutId, {}, { pageSize: 1000 });
  const counts: Record<string, number> = {};
  for (const row of rows.items) counts[row.outcome] = (counts[row.outcome] ?? 0) + 1;
  return counts;
}

describe('verified convergence', () => {
  it('counts devices running until they report, succeeded once they match, notConverged past the deadline', async () => {
    const { fixture, fleet } = verifiedFixture();
    for (const id of ids.slice(0, 3)) fleet.silent.add(id);
    await createRollout({ request: request(), rolloutId: 'v1', mode: 'put' }, fixture.deps);
    await advanceRollout('v1', fixture.deps, { refreshFromHub: true });
    endAtHub(fixture, 'v1-w1-c1-a1');
    await tickAndStep(fixture, 'v1');
    // The import of the chunk's results is done on this tick; the first round runs after it.
    await tickAndStep(fixture, 'v1');
    assert.deepEqual(await statistics(fixture, 'v1'), {
      status: 'running',
      succeededCount: 17,
      failedCount: 0,
      runningCount: 3,
    });
    assert.deepEqual(await rowsByOutcome(fixture, 'v1'), { succeeded: 17, running: 3 });
    let result = await tickAndStep(fixture, 'v1', 900);
    for (let i = 0; i < 3 && result.outcome === 'running'; i++) {
      result = await tickAndStep(fixture, 'v1');
    }
    assert.equal(result.outcome, 'ended');
    assert.deepEqual(await statistics(fixture, 'v1'), {
      status: 'completed',
      succeededCount: 17,
      failedCount: 3,
      runningCount: 0,
    });
    assert.deepEqual(await rowsByOutcome(fixture, 'v1'), { succeeded: 17, notConverged: 3 });
    const rollout = await fixture.rollouts.get('v1');
    assert.ok(rollout);
    const shown = toRolloutResource(rollout).verification;
    assert.equal(shown?.queries, fleet.stragglerQueries.length, 'every query is counted');
    assert.ok((shown?.rounds ?? 0) >= 2, 'rounds until the deadline, then the one past it');
    assert.equal(shown?.queries, shown?.rounds, 'one query per chunk per round');
    assert.equal(shown?.notConvergedCount, 3);
    assert.equal(shown?.awaitingCount, 0);
  });

  it('checks only the devices still different after the first round', async () => {
    const { fixture, fleet } = verifiedFixture();
    for (const id of ids.slice(0, 2)) fleet.silent.add(id);
    await createRollout({ request: request(), rolloutId: 'v2', mode: 'put' }, fixture.deps);
    await advanceRollout('v2', fixture.deps, { refreshFromHub: true });
    endAtHub(fixture, 'v2-w1-c1-a1');
    await tickAndStep(fixture, 'v2');
    await tickAndStep(fixture, 'v2');
    fleet.silent.delete(ids[0] ?? '');
    await tickAndStep(fixture, 'v2', 10);
    const second = fleet.stragglerQueries.at(-1) ?? '';
    assert.match(second, new RegExp(`^deviceId IN \\['${ids[0]}','${ids[1]}'\\] AND \\(`));
    assert.deepEqual(await statistics(fixture, 'v2'), {
      status: 'running',
      succeededCount: 19,
      failedCount: 0,
      runningCount: 1,
    });
  });

  it('retries notConverged devices, which then converge', async () => {
    const { fixture, fleet } = verifiedFixture();
    for (const id of ids.slice(0, 3)) fleet.silent.add(id);
    const retry = { outcomes: ['notConverged' as const], maxAttempts: 2, delaySeconds: 0 };
    await createRollout(
      { request: request({ retry }), rolloutId: 'v3', mode: 'put' },
      fixture.deps,
    );
    await advanceRollout('v3', fixture.deps, { refreshFromHub: true });
    endAtHub(fixture, 'v3-w1-c1-a1');
    await tickAndStep(fixture, 'v3');
    await tickAndStep(fixture, 'v3');
    await tickAndStep(fixture, 'v3', 900);
    await tickAndStep(fixture, 'v3');
    const retryJob = fixture.hub.jobs.get('v3-w1-c1-a2');
    assert.ok(retryJob, 'a retry chunk for the devices that did not converge');
    assert.deepEqual(
      [...retryJob.spec.queryCondition.matchAll(/'([^']+)'/g)].map((m) => m[1]),
      ids.slice(0, 3),
    );
    fleet.silent.clear();
    endAtHub(fixture, 'v3-w1-c1-a2');
    let result = await tickAndStep(fixture, 'v3');
    for (let i = 0; i < 4 && result.outcome === 'running'; i++) {
      result = await tickAndStep(fixture, 'v3');
    }
    assert.equal(result.outcome, 'ended');
    assert.deepEqual(await statistics(fixture, 'v3'), {
      status: 'completed',
      succeededCount: 20,
      failedCount: 0,
      runningCount: 0,
    });
    const rows = await fixture.deps.rolloutDeviceResults.list('v3', {}, { pageSize: 100 });
    const retried = rows.items.filter((row) => row.attempt === 2);
    assert.deepEqual(
      retried.map((row) => [row.deviceId, row.outcome, row.verification]),
      ids.slice(0, 3).map((id) => [id, 'succeeded', 'converged']),
    );
  });

  it('fails the rollout when notConverged devices cross a threshold that names them', async () => {
    const { fixture, fleet } = verifiedFixture();
    for (const id of ids.slice(0, 3)) fleet.silent.add(id);
    const failureThreshold = { count: 2, outcomes: ['notConverged' as const] };
    await createRollout(
      { request: request({ failureThreshold }), rolloutId: 'v4', mode: 'put' },
      fixture.deps,
    );
    await advanceRollout('v4', fixture.deps, { refreshFromHub: true });
    endAtHub(fixture, 'v4-w1-c1-a1');
    await tickAndStep(fixture, 'v4');
    await tickAndStep(fixture, 'v4');
    assert.equal((await statistics(fixture, 'v4')).status, 'running', 'not before the deadline');
    await tickAndStep(fixture, 'v4', 900);
    await tickAndStep(fixture, 'v4');
    const rollout = await fixture.rollouts.get('v4');
    assert.equal(rollout?.status, 'failed');
    assert.match(rollout?.statusMessage ?? '', /3 of 20 finished devices failed/);
  });

  it('leaves room in every chunk for the comparison clause', async () => {
    const fixture = rolloutFixture();
    const many = deviceIds(2000, 'a-rather-long-device-id-prefix-');
    const desired = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`setting${i}`, `value-${i}`]),
    );
    const operation = {
      type: 'scheduleUpdateTwin' as const,
      updateTwin: { properties: { desired } },
    };
    await createRollout(
      {
        request: request({ operation, targets: { kind: 'deviceIds', deviceIds: many } }),
        rolloutId: 'v5',
        mode: 'put',
      },
      fixture.deps,
    );
    await advanceRollout('v5', fixture.deps, { refreshFromHub: true });
    const chunks = [...fixture.chunks.rows.values()].filter((c) => c.wave === 1);
    assert.ok(chunks.length > 1);
    for (const chunk of chunks) {
      const query = `${verifyQueryPrefix}${stragglersCondition(chunk.queryCondition, clauseOf(operation))}`;
      assert.ok(query.length <= 8192, `${query.length} characters`);
    }
  });
});
