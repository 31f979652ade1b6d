import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError } from '../../src/core/errors';
import { createRollout } from '../../src/rollouts/createRollout';
import { rerunRollout } from '../../src/rollouts/rerunRollout';
import type { RolloutRequest } from '../../src/rollouts/rolloutRequestSchema';
import { deviceIds, rolloutFixture, type RolloutFixture } from './support/rolloutFixture';

const request: RolloutRequest = {
  operation: {
    type: 'scheduleUpdateTwin',
    updateTwin: { etag: '*', properties: { desired: { tariff: 'B' } } },
  },
  targets: { kind: 'deviceIds', deviceIds: deviceIds(6) },
  waves: { count: 4 },
  failureThreshold: { percent: 50 },
  maxExecutionTimeInSeconds: 900,
  dryRun: false,
};

async function endedWith(fixture: RolloutFixture, outcomes: string[]): Promise<void> {
  await createRollout({ request, rolloutId: 'src', mode: 'put' }, fixture.deps);
  const stored = await fixture.rollouts.get('src');
  assert.ok(stored);
  await fixture.rollouts.update({ ...stored, status: 'completed' });
  await fixture.deps.rolloutDeviceResults.record(
    'src',
    deviceIds(6).map((deviceId, index) => ({
      jobId: 'src-w1-c1-a1',
      deviceId,
      status: outcomes[index] === 'succeeded' ? 'completed' : 'failed',
      outcome: (outcomes[index] ?? 'succeeded') as 'succeeded',
      attempt: 1,
    })),
  );
}

describe('rerunRollout', () => {
  it('starts a rollout over exactly the devices that failed, linked to the first', async () => {
    const fixture = rolloutFixture();
    await endedWith(fixture, [
      'succeeded',
      'failed',
      'timedOut',
      'succeeded',
      'offline',
      'succeeded',
    ]);
    const rerun = await rerunRollout('src', fixture.deps, 'again');
    assert.equal(rerun.rerunOf, 'src');
    assert.equal(rerun.status, 'accepted');
    assert.deepEqual(rerun.spec.operation, request.operation);
    assert.deepEqual(rerun.spec.failureThreshold, { percent: 50 });
    const targets = rerun.spec.targets;
    assert.equal(targets.kind, 'deviceIds');
    const ids = targets.kind === 'deviceIds' ? await fixture.blobs.readOwn(targets.blobName) : [];
    assert.deepEqual(ids, ['meter-00002', 'meter-00003', 'meter-00005']);
  });

  it('refuses a rollout still running, or one with no failed device', async () => {
    const running = rolloutFixture();
    await createRollout({ request, rolloutId: 'src', mode: 'put' }, running.deps);
    await assert.rejects(rerunRollout('src', running.deps), ConflictError);
    const clean = rolloutFixture();
    await endedWith(
      clean,
      Array.from({ length: 6 }, () => 'succeeded'),
    );
    await assert.rejects(rerunRollout('src', clean.deps), /no failed device/);
  });
});
