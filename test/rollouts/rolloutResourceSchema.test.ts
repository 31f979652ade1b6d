import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyStatistics } from '../../src/jobs/job';
import type { Rollout, StoredRollout } from '../../src/rollouts/rollout';
import {
  rolloutListResponseSchema,
  rolloutResourceSchema,
  toRolloutResource,
} from '../../src/rollouts/rolloutResourceSchema';

const statistics = {
  deviceCount: 5,
  succeededCount: 4,
  failedCount: 1,
  runningCount: 0,
  pendingCount: 0,
};

const rollout: StoredRollout = {
  rolloutId: 'tariff-b',
  spec: {
    operation: {
      type: 'scheduleUpdateTwin',
      updateTwin: { etag: '*', properties: { desired: { tariff: 'B' } } },
    },
    targets: { kind: 'deviceIds', blobName: 'tariff-b/ids.txt', deviceCount: 1_000_000 },
    waves: { count: 500_000 },
    maxExecutionTimeInSeconds: 3600,
  },
  requestHash: 'h',
  status: 'running',
  statistics,
  plan: { state: 'planned' },
  waves: [
    {
      index: 1,
      status: 'completed',
      deviceCount: 500_000,
      chunkCount: 2,
      jobIds: ['tariff-b-w1-c1-a1', 'tariff-b-w1-c2-a1'],
      statistics,
      startedAt: '2026-05-01T02:00:00.000Z',
      endedAt: '2026-05-01T03:00:00.000Z',
    },
    {
      index: 2,
      status: 'pending',
      deviceCount: 500_000,
      chunkCount: 2,
      jobIds: [],
      statistics: emptyStatistics,
    },
  ],
  cancelRequested: false,
  createdAt: '2026-05-01T01:59:00.000Z',
  updatedAt: '2026-05-01T03:00:00.000Z',
  startedAt: '2026-05-01T02:00:00.000Z',
  revision: 'etag-1',
};

describe('toRolloutResource', () => {
  it('shows the rollout without its bookkeeping, ids only by their count', () => {
    const resource = toRolloutResource(rollout);
    assert.deepEqual(resource.targets, { deviceCount: 1_000_000 });
    assert.deepEqual(resource.wavesSpec, { count: 500_000 });
    assert.equal(resource.statistics.cancelledCount, 0, 'absent counts as 0');
    assert.deepEqual(resource.waves[0], {
      index: 1,
      status: 'completed',
      deviceCount: 500_000,
      jobCount: 2,
      attempt: 1,
      jobIds: ['tariff-b-w1-c1-a1', 'tariff-b-w1-c2-a1'],
      statistics: { ...statistics, cancelledCount: 0 },
      startedAt: '2026-05-01T02:00:00.000Z',
      endedAt: '2026-05-01T03:00:00.000Z',
    });
    for (const hidden of ['revision', 'requestHash', 'plan', 'spec', 'endedAt']) {
      assert.ok(!(hidden in resource), hidden);
    }
    assert.deepEqual(rolloutResourceSchema.parse(resource), resource);
  });

  it('shows a condition or a producer blob as given, and a group wave its condition', () => {
    const byGroups: Rollout = {
      ...rollout,
      spec: {
        ...rollout.spec,
        targets: { kind: 'queryCondition', queryCondition: "tags.site = 'b'" },
        waves: { groups: ["tags.ring = 'canary'"] },
      },
      waves: [
        {
          index: 1,
          status: 'running',
          groupCondition: "tags.ring = 'canary'",
          chunkCount: 1,
          jobIds: ['tariff-b-w1-c1-a1'],
          statistics,
        },
      ],
    };
    const resource = toRolloutResource(byGroups);
    assert.deepEqual(resource.targets, { queryCondition: "tags.site = 'b'" });
    assert.equal(resource.waves[0]?.groupCondition, "tags.ring = 'canary'");
    assert.ok(resource.waves[0] !== undefined && !('deviceCount' in resource.waves[0]));
    const byBlob = {
      ...rollout,
      spec: {
        ...rollout.spec,
        targets: { kind: 'deviceIdsBlob' as const, deviceIdsBlob: 'lists/a.txt' },
      },
    };
    assert.deepEqual(toRolloutResource(byBlob).targets, { deviceIdsBlob: 'lists/a.txt' });
    assert.equal(
      rolloutListResponseSchema.safeParse({ items: [resource, toRolloutResource(byBlob)] }).success,
      true,
    );
  });

  it('is refused by the schema when a field is wrong', () => {
    const resource = toRolloutResource(rollout);
    assert.equal(rolloutResourceSchema.safeParse({ ...resource, status: 'queued' }).success, false);
    assert.equal(
      rolloutResourceSchema.safeParse({ ...resource, rolloutId: 'r'.repeat(41) }).success,
      false,
    );
  });
});
