import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, startE2eStack, type E2eStack } from './support/e2eStack';
import { fleetIds, rolloutWhenEnded } from './support/rolloutProbes';

/** S1's quotas and device-operation rate ×50, hubjobs' budget matched. */
const scale = 50;
const s1Scaled = {
  jobsOperationsPerMinute: 100 * scale,
  queriesPerMinute: 20 * scale,
  deviceOperationsPerSecond: 10 * scale,
};

describe('a verified twin rollout end to end (S1, every hub rate ×50)', () => {
  let stack: E2eStack;

  before(async () => {
    stack = await startE2eStack(
      { devices: 1000, tier: 'S1', limits: s1Scaled, reportedEchoLatencyMs: 200 },
      {
        HUB_JOBS_OPS_PER_MINUTE: String(s1Scaled.jobsOperationsPerMinute),
        HUB_QUERIES_PER_MINUTE: String(s1Scaled.queriesPerMinute),
        HUB_DEVICE_OPS_PER_SECOND: String(s1Scaled.deviceOperationsPerSecond),
        ROLLOUT_CHUNK_END_WAIT_MS: '5000',
        ROLLOUT_CHUNK_END_CHECK_MS: '100',
        ROLLOUT_VERIFY_INTERVAL_SECONDS: '1',
      },
    );
  });
  after(async () => {
    await stack?.close();
  });

  it('succeeds the devices that report the desired values and ends the silent ones notConverged', async (t) => {
    const ids = fleetIds(1000);
    const silent = ids.filter((_, index) => index % 100 === 7);
    await stack.admin.setBehaviour(silent, { neverReport: true });
    const created = await api(stack, 'PUT', '/rollouts/verified', {
      operation: {
        type: 'scheduleUpdateTwin',
        updateTwin: {
          properties: { desired: { firmware: { version: '3.2.0', channel: 'stable' } } },
        },
      },
      targets: { deviceIds: ids },
      verify: { reportedWithinSeconds: 4 },
    });
    assert.equal(created.status, 202, created.text);
    const rollout = await rolloutWhenEnded(stack, 'verified', 60_000);
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    assert.deepEqual(
      [
        rollout.statistics.deviceCount,
        rollout.statistics.succeededCount,
        rollout.statistics.failedCount,
      ],
      [1000, 990, 10],
    );
    const { verification } = rollout;
    const chunks: number = rollout.waves[0].jobIds.length;
    t.diagnostic(
      `verification: ${verification.queries} queries in ${verification.rounds} rounds over ${chunks} chunks`,
    );
    assert.equal(verification.notConvergedCount, 10);
    assert.equal(verification.awaitingCount, 0);
    // A round is one chunk's check: with at most 100 devices still different, one query.
    assert.equal(verification.queries, verification.rounds, 'one query per chunk per round');
    assert.ok(
      verification.rounds >= chunks && verification.rounds <= chunks * 8,
      `${verification.rounds} rounds over ${chunks} chunks in a 4-second window checked each second`,
    );

    const notConverged = await api(stack, 'GET', '/rollouts/verified/devices?outcome=notConverged');
    assert.deepEqual(
      notConverged.json.items.map((row: { deviceId: string }) => row.deviceId),
      silent,
    );
    assert.ok(
      notConverged.json.items.every(
        (row: { status: string; verification: string }) =>
          row.status === 'completed' && row.verification === 'notConverged',
      ),
      'the hub wrote the patch; the device never reported it',
    );
    const csv = await api(stack, 'GET', '/rollouts/verified/devices?format=csv');
    const lines = csv.text.trim().split('\r\n').slice(1);
    assert.equal(lines.length, 1000);
    const count = (outcome: string) => lines.filter((line) => line.includes(`,${outcome},`)).length;
    assert.deepEqual([count('succeeded'), count('notConverged')], [990, 10], 'CSV agrees');
    await stack.admin.clearBehaviours(silent);
  });

  it('refuses verify on a direct-method rollout, and on a patch with nothing to compare', async () => {
    const method = await api(stack, 'POST', '/rollouts', {
      operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
      targets: { queryCondition: "tags.ring = 'canary'" },
      verify: { reportedWithinSeconds: 60 },
    });
    assert.equal(method.status, 400);
    assert.equal(method.json.code, 'VALIDATION_FAILED');
    assert.ok(method.json.errors.some((error: { field: string }) => error.field === 'verify'));
    const tagsOnly = await api(stack, 'POST', '/rollouts', {
      operation: { type: 'scheduleUpdateTwin', updateTwin: { tags: { ring: 'early' } } },
      targets: { queryCondition: "tags.ring = 'canary'" },
      verify: { reportedWithinSeconds: 60 },
    });
    assert.equal(tagsOnly.status, 400);
    assert.match(JSON.stringify(tagsOnly.json.errors), /no desired leaf/);
    const listed = await api(stack, 'GET', '/rollouts');
    assert.ok(
      listed.json.items.every((item: { rolloutId: string }) => item.rolloutId === 'verified'),
      'nothing was stored',
    );
  });
});
